// symcnn's page: recompute every number that depends on the input size, in exact arithmetic.
// The expressions (symcnnExpressions, above) are the closed forms of the network's analysis,
// compiled by symcnn into rationals [n, d] of BigInt: S adds, P multiplies, E raises to a whole
// power, F and C are floor and ceiling. Nothing is fetched; nothing is rounded by a float.
"use strict";
(function () {
  const root = document.getElementById("symcnn");
  const D = JSON.parse(document.getElementById("symcnn-page").textContent);
  const gcd = (a, b) => { a = a < 0n ? -a : a; b = b < 0n ? -b : b; while (b) { [a, b] = [b, a % b]; } return a; };
  const norm = (n, d) => { if (d < 0n) { n = -n; d = -d; } const k = gcd(n, d) || 1n; return [n / k, d / k]; };
  const S = (...x) => x.reduce((a, b) => norm(a[0] * b[1] + b[0] * a[1], a[1] * b[1]));
  const P = (...x) => x.reduce((a, b) => norm(a[0] * b[0], a[1] * b[1]));
  const E = (a, k) => k >= 0 ? [a[0] ** BigInt(k), a[1] ** BigInt(k)] : norm(a[1] ** BigInt(-k), a[0] ** BigInt(-k));
  const F = a => { let q = a[0] / a[1]; if (a[0] % a[1] !== 0n && a[0] < 0n) q -= 1n; return [q, 1n]; };
  const C = a => { let q = a[0] / a[1]; if (a[0] % a[1] !== 0n && a[0] > 0n) q += 1n; return [q, 1n]; };
  const X = symcnnExpressions(S, P, E, F, C);

  // -- numbers as symcnn writes them -------------------------------------------------------
  const whole = q => q[1] === 1n;
  const thousands = n => (n < 0n ? "-" : "") + (n < 0n ? -n : n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const text = q => whole(q) ? thousands(q[0]) : `${q[0]}/${q[1]}`;
  const fixed = (q, places) => {
    const neg = q[0] < 0n, a = neg ? -q[0] : q[0];
    let s = (a * 10n ** BigInt(places) / q[1]).toString().padStart(places + 1, "0");
    if (places) s = s.slice(0, -places) + "." + s.slice(-places);
    return (neg ? "-" : "") + s;
  };
  const terminating = (q, most) => {
    for (let p = 0, t = 1n; p <= most; p++, t *= 10n) if ((q[0] * t) % q[1] === 0n) return fixed(q, p);
    return null;
  };
  const decimal = (q, places = 6) => terminating(q, places) ?? fixed(q, places) + "...";
  const quotientMathML = q => {
    const digits = terminating(q, 14);
    if (digits !== null) return `<mn>${digits}</mn>`;
    const sign = q[0] < 0n ? "<mo>-</mo>" : "";
    return `${sign}<mfrac><mn>${q[0] < 0n ? -q[0] : q[0]}</mn><mn>${q[1]}</mn></mfrac>`;
  };

  // -- is the input valid? The engine's checks, in its order, in its words ------------------------
  const plain = q => whole(q) ? q[0].toString() : `${q[0]}/${q[1]}`;
  const fill = (s, v) => s.replace(/§(\d+)§/g, (_, e) => text(v[+e])).replace(/¤(\d+)¤/g, (_, e) => plain(v[+e]));
  function problem(v, sizes) {
    for (const c of D.checks) {
      const n = v[c.numerator], q = v[c.quotient];
      const where = fill(c.where, v) + ": ";
      const small = c.overhang ? C(q)[0] + 1n <= 0n : n[0] < 0n;
      if (small) {
        return where + D.words.too_small.replace("{window}", c.window.replace("§p§", fill(c.padded, v)))
          .replace("{label}", c.label).replace("{substituted}", fill(c.substituted, v))
          .replace("{value}", text(v[c.value]));
      }
      if (c.exact && !whole(q)) {
        return where + D.words.not_whole.replace("{label}", c.label)
          .replace("{substituted}", fill(c.substituted, v)).replace("{value}", decimal(S(q, [1n, 1n])));
      }
    }
    for (const [i, s] of D.symbols.entries()) {
      const size = BigInt(sizes[i]);
      if (size < BigInt(D.min[s])) return D.words.below.replaceAll("§s§", s).replace("§v§", thousands(size));
      const c = D.congruence[s];
      if (c && !c[0].includes(Number(size % BigInt(c[1])))) {
        return D.words.not_congruent.replaceAll("§s§", s).replace("§v§", thousands(size));
      }
    }
    for (const e of D.equal) {
      if (!(v[e.a][0] === v[e.b][0] && v[e.a][1] === v[e.b][1])) return fill(e.where, v) + ": " + fill(e.message, v);
    }
    for (const f of D.fits) {
      if (!(whole(v[f.derived]) && v[f.derived][0] === BigInt(f.declared))) return fill(f.where, v) + ": " + fill(f.message, v);
    }
    return "";
  }

  // -- the page ------------------------------------------------------------------------------
  const live = [...root.querySelectorAll("[data-e]")];
  const quotients = [...root.querySelectorAll("[data-q]")];
  const sides = [...root.querySelectorAll("[data-s]")];
  const markers = [...root.querySelectorAll("[data-marker]")];
  const message = document.getElementById("message");
  const fields = {h: document.getElementById("size-h"), w: document.getElementById("size-w")};
  const ranges = {h: document.getElementById("range-h"), w: document.getElementById("range-w")};
  const apart = document.getElementById("apart");
  const widthRow = root.querySelector(".size.width");
  const label = document.getElementById("label-h");
  const labels = {square: label.textContent, apart: label.dataset.apart};
  const pageSize = D.input;

  for (const [axis, i] of [["h", 0], ["w", D.symbols.length - 1]]) {
    const s = D.symbols[i], c = D.congruence[s];
    const low = D.min[s], high = Math.max(512, 2 * pageSize[i]);
    Object.assign(ranges[axis], {min: low, max: high, step: c ? c[1] : 1});
    if (c) ranges[axis].min = Math.min(...c[0].map(r => low + (((r - low) % c[1]) + c[1]) % c[1]));
    if (c && c[0].length > 1) ranges[axis].step = 1;  // several residues: every size, the invalid ones refused
  }

  let shown = null;
  function show(h, w) {
    const sizes = D.symbols.length === 2 ? [h, w] : [h];
    const shape = [...sizes.length === 2 ? [h, w] : [h, h], D.channels].join("x");
    const v = Math.min(h, w) >= 1 ? X.map(f => f([BigInt(h), 1n], [BigInt(w), 1n])) : null;
    const why = v ? problem(v, sizes) : D.words.not_a_size.replace("§v§", shape);
    message.textContent = why;
    root.classList.toggle("invalid", why !== "");
    if (why) return false;
    for (const el of live) el.textContent = thousands(v[+el.dataset.e][0]);
    for (const el of quotients) el.innerHTML = quotientMathML(v[+el.dataset.q]);
    for (const el of sides) el.classList.toggle("off", whole(v[+el.dataset.s]));
    for (const m of markers) {
      const [i0, x0, i1, x1] = ["i0", "x0", "i1", "x1"].map(k => +m.dataset[k]);
      const x = x0 + (h - i0) * (x1 - x0) / (i1 - i0);
      m.setAttribute("x1", x); m.setAttribute("x2", x);
      m.style.display = h === w && h >= i0 && h <= i1 ? "" : "none";
    }
    // the worked steps hold for a square input (or, on a page made at another input, for that one)
    root.classList.toggle("apart", !((D.square && h === w) || (h === pageSize[0] && w === pageSize[pageSize.length - 1])));
    shown = [h, w];
    return true;
  }

  function read(hash) {
    const found = Object.fromEntries(hash.replace(/^#/, "").split("&").map(p => p.split("=")));
    const n = s => /^\d+$/.test(s ?? "") ? Number(s) : null;
    const i = n(found.I), h = n(found.H), w = n(found.W);
    if (i !== null) return [i, i];
    if (h !== null || w !== null) return [h ?? w, w ?? h];
    return null;
  }

  function set(h, w, fromHash) {
    const isApart = h !== w;
    if (apart && isApart) apart.checked = true;
    const both = apart !== null && apart.checked;
    widthRow.hidden = !both;
    label.textContent = both ? labels.apart : labels.square;
    fields.h.value = ranges.h.value = h;
    fields.w.value = ranges.w.value = w;
    show(h, w);
    const hash = isApart ? `#H=${h}&W=${w}` : `#I=${h}`;
    if (!fromHash && location.hash !== hash) history.replaceState(null, "", hash);
  }

  const current = () => {
    const h = Math.round(Number(fields.h.value)), w = apart && apart.checked ? Math.round(Number(fields.w.value)) : h;
    return [h, w];
  };
  for (const axis of ["h", "w"]) {
    fields[axis].addEventListener("input", () => { if (fields[axis].value !== "") set(...current()); });
    ranges[axis].addEventListener("input", () => { fields[axis].value = ranges[axis].value; set(...current()); });
  }
  if (apart) apart.addEventListener("change", () => set(...current()));
  window.addEventListener("hashchange", () => { const s = read(location.hash); if (s) set(...s, true); });
  root.dataset.ready = "true";
  set(...(read(location.hash) ?? pageSize), true);
  if (!D.square && !read(location.hash)) set(pageSize[0], pageSize[1], true);
})();
