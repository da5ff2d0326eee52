// Reads [{"tex": "...", "display": true}, ...] as JSON on stdin; prints a JSON list with,
// for each fragment, null when KaTeX parses it or KaTeX's error message when it does not.
const katex = require("katex");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const results = JSON.parse(input).map(({ tex, display }) => {
    try {
      katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "error" });
      return null;
    } catch (e) {
      return String(e.message);
    }
  });
  process.stdout.write(JSON.stringify(results));
});
