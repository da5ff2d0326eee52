"""Every word a report says, one dictionary per language.

Templates hold structure and math only; each sentence and heading they print comes from
here, so a language is translated in one place. Entries with ``{name}`` fields are
filled by the templates with text already escaped for the output format.

Formulas, layer types and symbols that a language does not name yet fall back to the
English entry (and for formulas to the formula's own ``meaning``), so a new layer kind
renders before it is translated.

>>> STRINGS["ko"]["table"]
'전체 층의 출력 텐서 크기와 파라미터 개수'
"""

from __future__ import annotations

#: The source article, as every text that says "the article" names it (the README gives the links).
SOURCE = (
    "The formulas are those of the source article, Seongkyun's blog post \"CNN의 parameter 개수와 tensor "
    "사이즈 계산하기\" (computing the number of parameters and the tensor sizes of a CNN; "
    "seongkyun.github.io, 25 January 2019), which follows LearnOpenCV's \"Number of Parameters and Tensor "
    "Sizes in a Convolutional Neural Network (CNN)\" (2018)."
)

EN: dict = {
    "title": "{network}: tensor sizes and parameter counts",
    "intro": (
        "Every layer's output tensor size and number of parameters, derived from the general formulas "
        "with the values put in, as symcnn computes them. The formulas are those of the source article, "
        "Seongkyun's blog post “Computing the number of parameters and the tensor sizes of a CNN” (title "
        "translated from the Korean; seongkyun.github.io, 25 January 2019), which follows LearnOpenCV's "
        "“Number of Parameters and Tensor Sizes in a Convolutional Neural Network (CNN)” (2018)."
    ),
    "input": "Input",
    "rounding": "Rounding",
    "layers": "Layers",
    "symbols": "Symbols",
    "symbols_intro": "The formulas below use these symbols; sizes are widths (the height is the same unless a subscript names the axis).",
    "general": "General formula:",
    "example": "First example, {layer} (input {input}):",
    "outputs": "So the output tensor size of {layer} is {output}.",
    "has_params": "So {layer} has {params} parameters.",
    "has_buffers": "So {layer} keeps {buffers} buffers (not parameters).",
    "likewise": "The same formula for the other layers of this kind:",
    "every_layer": "Every layer worked out",
    "no_steps": "Keeps the size of its input; no parameters.",
    "table": "Output tensor size and parameters of every layer",
    "col_layer": "layer",
    "col_type": "type",
    "col_output": "output (H x W x C)",
    "col_weights": "weights",
    "col_biases": "biases",
    "col_params": "parameters",
    "col_buffers": "buffers",
    "buffers_note": (
        "Buffers are values a layer keeps that training does not learn (batch norm's running mean and "
        "variance and its count of batches); they are not parameters and are not in the total."
    ),
    "total": "total",
    "totals": "Totals",
    "type_total": "{type}: {params} parameters",
    "network_total": "The whole network: {params} parameters.",
    "closed_forms": "Closed forms in the input size",
    "closed_intro": (
        "The same network with an input of $I \\times I$ and {rounding} rounding, as symcnn's analysis writes it: "
        "every size, parameter count and MAC count as a function of $I$. In the sizes each layer's $+1$ has "
        "gone into the one fraction (inside the brackets where they round), so each size is one division of $I$."
    ),
    "closed_none": "symcnn gives no closed forms in $I$ for this network: {reason}.",
    "closed_stopped": "{layer} had no closed form within the time budget of {seconds} s; the layers before it are given.",
    "closed_stopped_inputs": "The valid inputs were not worked out within the time budget of {seconds} s (stopped at {layer}); every closed form is given.",
    "min_input": "Smallest valid input (every output at least 1, every window inside the padded input): {size}",
    "exact_inputs": "Every division is whole exactly when {congruence}",
    "equal_inputs": "The inputs of {layer} ({inputs}) have equal sizes exactly when {congruence}",
    "equal_inputs_at": "The inputs of {layer} ({inputs}) have equal sizes only at {sizes}",
    "receptive_field": "Receptive field at {layer} (size/stride/padding): {field}",
    "closed_params": "Parameters",
    "closed_macs": "MACs",
    "closed_activations": "Activations (output values of every layer)",
    "at_input": "at {input}: {value}",
    "macs_convention": (
        "MACs count the multiply-accumulates of the weights only (no bias additions, no pooling, "
        "no activations); FLOPs = 2 {times} MACs."
    ),
    "col_output_closed": "output (H x W x C)",
    "col_params_closed": "parameters",
    "col_macs": "MACs",
    "col_receptive_field": "receptive field",
    "live_intro": (
        "Choose another input size: every size, parameter count, MAC count and total on this page is worked "
        "out again from the closed forms below, in exact whole numbers (the address keeps it: #I=224)."
    ),
    "live_size": "Input size I",
    "live_height": "Height H",
    "live_width": "Width W",
    "live_apart": "height and width apart",
    "live_square_only": "The worked steps are shown for a square input; the sizes and counts elsewhere are at the input chosen.",
    "live_none": "This page shows its numbers at its own input only: {reason}.",
    "figures": "Against the input size",
    "figure_caption": "{what} against the input size $I$ ({rounding} rounding), from the closed forms.",
    "figure_caption_invalid": "A red band marks the sizes that are not valid inputs.",
    "figure_size": "Output width of each feature map",
    "figure_params": "Parameters",
    "figure_macs": "MACs",
    "figure_activations": "Activations",
    "figure_x": "input size I",
    "figure_invalid": "not a valid input",
    "rounded_note": (
        "Where a division is not whole, the {rounding} brackets show the quotient they rounded."
    ),
    "rounding_notes": {
        "exact": "exact (the source article's formula; every division comes out whole)",
        "floor": "floor (rounded down, as PyTorch's convolutions and pooling do)",
        "ceil": "ceil (rounded up, as Caffe's pooling does)",
    },
    "kinds": {
        "conv-output": "Output tensor size of a conv layer",
        "pool-output": "Output tensor size of a pooling layer",
        "pool-output-padded": "Output tensor size of a padded pooling layer",
        "conv-params": "Number of parameters of a conv layer",
        "conv-params-hw": "Number of parameters of a conv layer with a non-square kernel",
        "fc-conv-params": "Number of parameters of an FC layer after a conv layer",
        "fc-conv-params-hw": "Number of parameters of an FC layer after a non-square feature map",
        "fc-fc-params": "Number of parameters of an FC layer after an FC layer",
        "flatten": "Length of a flattened feature map",
        "conv-output-dilated": "Output tensor size of a dilated conv layer",
        "conv-output-same": "Output tensor size of a conv layer with 'same' padding",
        "deconv-output": "Output tensor size of a transposed conv layer",
        "pool-output-dilated": "Output tensor size of a padded or dilated max-pooling layer",
        "pool-ceil-last-window": "PyTorch's ceil mode: the last pooling window",
        "adaptive-pool-output": "Output tensor size of an adaptive pooling layer",
        "conv-params-grouped": "Number of parameters of a grouped conv layer",
        "conv-params-grouped-hw": "Number of parameters of a grouped conv layer with a non-square kernel",
        "conv-params-1d": "Number of parameters of a 1-d conv layer",
        "conv-params-grouped-1d": "Number of parameters of a grouped 1-d conv layer",
        "conv-params-3d": "Number of parameters of a 3-d conv layer",
        "conv-params-grouped-3d": "Number of parameters of a grouped 3-d conv layer",
        "conv-params-dhw": "Number of parameters of a 3-d conv layer with a non-cubic kernel",
        "conv-params-grouped-dhw": "Number of parameters of a grouped 3-d conv layer with a non-cubic kernel",
        "norm-params": "Number of parameters of a normalisation layer",
        "bn-buffers": "Buffers of a batch-norm layer (not parameters)",
        "upsample-output": "Output tensor size of an upsampling layer",
        "upsample-output-size": "Output tensor size of an upsampling layer given the size",
        "pad-output": "Output tensor size of a padding layer",
        "crop-output": "Output tensor size of a crop",
        "tf-same-output": "Output tensor size under TensorFlow's SAME padding",
        "tf-same-padding": "Total padding under TensorFlow's SAME padding",
        "pixel-shuffle-output": "Output tensor size of a pixel shuffle",
        "pixel-shuffle-channels": "Output channels of a pixel shuffle",
        "pixel-unshuffle-output": "Output tensor size of a pixel unshuffle",
        "pixel-unshuffle-channels": "Output channels of a pixel unshuffle",
        "chunk-channels": "Channels of a chunk",
        "chunk-channels-last": "Channels of the last chunk",
        "channel-linear-params": "Number of parameters of an FC layer over the channels",
        "scale-params": "Number of parameters of a per-channel scale",
        "xca-temperature": "Learned temperatures of a cross-covariance attention",
    },
    "kind_notes": {
        "conv-output": "The output has as many channels as the layer has kernels ($N$).",
        "pool-output": "Pooling keeps the number of channels and has no parameters.",
        "pool-output-padded": "Pooling keeps the number of channels and has no parameters.",
        "conv-params": "A kernel is as deep as the input has channels, so each of the $N$ kernels holds $K \\times K \\times C$ weights and one bias.",
        "conv-params-hw": "Each of the $N$ kernels has $K_{h} \\times K_{w} \\times C$ weights, plus one bias.",
        "fc-conv-params": "Every one of the $F$ neurons is connected to every value of the $O \\times O \\times N$ input.",
        "fc-conv-params-hw": "Every one of the $F$ neurons is connected to every value of the $H \\times W \\times N$ input.",
        "fc-fc-params": "Every one of the $F$ neurons is connected to each of the $F_{-1}$ neurons before it.",
    },
    "types": {
        "conv": "Conv layers",
        "pool": "Pooling layers",
        "fc": "FC layers",
        "deconv": "Transposed conv layers",
        "norm": "Normalisation layers",
        "act": "Activations",
        "dropout": "Dropout layers",
        "flatten": "Flatten layers",
        "add": "Residual additions",
        "concat": "Concatenations",
        "mul": "Element-wise products",
        "split": "Channel splits",
        "shuffle": "Channel and pixel shuffles",
        "upsample": "Upsampling layers",
        "pad": "Padding layers",
        "crop": "Crops",
        "scale": "Per-channel scales",
        "opaque": "Opaque layers (not derived)",
        "attention": "Attention layers",
        "embed": "Position encodings",
    },
    "symbol_meanings": {},  # English meanings come from symcnn.symbols.MEANINGS
    "opaque_note": (
        "Opaque ({op}): symcnn has no formula for this operation; its output is PyTorch's (or ONNX's) shape at "
        "the import size, not derived, and the closed forms stop before it."
    ),
    "closed_stop": "The closed forms stop before {layer}: it is opaque (not derived), and so is all that follows it.",
    "shares_note": "Uses the parameters of {layer}; they are counted there, once.",
    "training_note": "Runs only in training (an auxiliary branch); its parameters count, its sizes do not limit the input.",
    "skipped_note": "Not run at this input ({reason}); its counts are those at the network's own input.",
    "latex_preamble": [],
}

KO: dict = {
    "title": "{network}의 출력 텐서 크기와 파라미터 개수",
    "intro": (
        "일반 공식에 각 층의 값을 넣어, 모든 층의 출력 텐서 크기와 파라미터 개수를 symcnn으로 계산한 결과입니다. "
        "공식은 원문인 「CNN의 parameter 개수와 tensor 사이즈 계산하기」(seongkyun.github.io, 2019년 1월 25일)의 "
        "것이며, 이 글은 LearnOpenCV의 “Number of Parameters and Tensor Sizes in a Convolutional Neural Network "
        "(CNN)”(2018)을 따릅니다."
    ),
    "input": "입력",
    "rounding": "나눗셈 처리",
    "layers": "층 수",
    "symbols": "기호",
    "symbols_intro": "아래 공식에 쓰이는 기호입니다. 크기는 너비(width)이며, 축을 아래첨자로 밝히지 않으면 높이도 같습니다.",
    "general": "일반 공식:",
    "example": "첫 번째 예: {layer} (입력 {input})",
    "outputs": "따라서 {layer}의 출력 텐서 크기는 {output}입니다.",
    "has_params": "따라서 {layer}의 파라미터 개수는 {params}개입니다.",
    "has_buffers": "따라서 {layer}의 버퍼 개수는 {buffers}개입니다 (파라미터가 아님).",
    "likewise": "같은 종류의 다른 층도 같은 공식으로 계산합니다:",
    "every_layer": "모든 층의 계산",
    "no_steps": "입력 크기를 그대로 유지하며 파라미터가 없습니다.",
    "table": "전체 층의 출력 텐서 크기와 파라미터 개수",
    "col_layer": "층",
    "col_type": "종류",
    "col_output": "출력 (H x W x C)",
    "col_weights": "가중치",
    "col_biases": "바이어스",
    "col_params": "파라미터",
    "col_buffers": "버퍼",
    "buffers_note": "버퍼는 층이 보관하지만 학습하지 않는 값(배치 정규화의 이동 평균과 분산, 배치 수)으로, 파라미터가 아니며 합계에 들어가지 않습니다.",
    "total": "합계",
    "totals": "파라미터 합계",
    "type_total": "{type}: 파라미터 {params}개",
    "network_total": "네트워크 전체의 파라미터 개수: {params}개.",
    "closed_forms": "입력 크기에 대한 닫힌 식",
    "closed_intro": (
        "같은 네트워크에 $I \\times I$ 입력을 넣고 {rounding} 방식으로 나눗셈을 처리해, symcnn의 분석으로 모든 크기와 "
        "파라미터 개수, MAC 수를 $I$의 함수로 나타낸 것입니다. 크기 식에서는 각 층의 $+1$을 하나의 분수 안으로 "
        "(내림·올림 괄호가 있으면 그 괄호 안으로) 옮겨, 층마다 $I$를 한 번 나눈 식이 됩니다."
    ),
    "closed_none": "이 네트워크는 symcnn이 $I$에 대한 닫힌 식을 구하지 못합니다: {reason}.",
    "closed_stopped": "{layer} 층은 시간 예산 {seconds}초 안에 닫힌 식을 얻지 못했습니다. 그 앞의 층들은 아래에 있습니다.",
    "closed_stopped_inputs": "시간 예산 {seconds}초 안에 가능한 입력을 구하지 못했습니다 ({layer}에서 멈춤). 닫힌 식은 모두 아래에 있습니다.",
    "min_input": "가능한 가장 작은 입력 (모든 출력이 1 이상이고 모든 창이 패딩한 입력 안에 들어감): {size}",
    "exact_inputs": "모든 나눗셈이 나누어떨어지는 입력: {congruence}",
    "equal_inputs": "{layer}의 입력({inputs})의 크기가 같은 입력: {congruence}",
    "equal_inputs_at": "{layer}의 입력({inputs})의 크기가 같은 입력: {sizes}뿐",
    "receptive_field": "{layer}의 수용 영역 (크기/스트라이드/패딩): {field}",
    "closed_params": "파라미터 개수",
    "closed_macs": "MAC 수",
    "closed_activations": "활성값 수 (모든 층의 출력 값 개수)",
    "at_input": "입력 {input}에서 {value}",
    "macs_convention": (
        "MAC은 가중치의 곱셈-누산만 셉니다 (바이어스 덧셈, 풀링, 활성화 함수는 세지 않음). FLOPs = 2 {times} MACs."
    ),
    "col_output_closed": "출력 (H x W x C)",
    "col_params_closed": "파라미터",
    "col_macs": "MAC",
    "col_receptive_field": "수용 영역",
    "live_intro": (
        "다른 입력 크기를 고르면 이 페이지의 모든 크기, 파라미터 개수, MAC 수와 합계를 아래의 닫힌 식으로 "
        "정확한 정수 계산으로 다시 구합니다 (주소에 남습니다: #I=224)."
    ),
    "live_size": "입력 크기 I",
    "live_height": "높이 H",
    "live_width": "너비 W",
    "live_apart": "높이와 너비를 따로",
    "live_square_only": "풀이 과정은 정사각형 입력일 때만 보입니다. 다른 곳의 크기와 개수는 고른 입력에서의 값입니다.",
    "live_none": "이 페이지는 자체 입력에서의 값만 보여 줍니다: {reason}.",
    "figures": "입력 크기에 따른 변화",
    "figure_caption": "닫힌 식으로 구한, 입력 크기 $I$에 따른 {what} ({rounding} 방식).",
    "figure_caption_invalid": "빨간 띠는 유효한 입력이 아닌 크기입니다.",
    "figure_size": "각 특징 맵의 출력 너비",
    "figure_params": "파라미터 개수",
    "figure_macs": "MAC 수",
    "figure_activations": "활성값 수",
    "figure_x": "입력 크기 I",
    "figure_invalid": "유효한 입력이 아님",
    "rounded_note": "나눗셈이 나누어떨어지지 않는 곳에서는 {rounding} 괄호 안에 처리하기 전의 몫을 보입니다.",
    "rounding_notes": {
        "exact": "exact (원문의 공식: 모든 나눗셈이 나누어떨어져야 함)",
        "floor": "floor (내림: PyTorch의 합성곱과 풀링)",
        "ceil": "ceil (올림: Caffe의 풀링)",
    },
    "kinds": {
        "conv-output": "합성곱 층(Conv layer)의 출력 텐서 크기",
        "pool-output": "풀링 층(Pooling layer)의 출력 텐서 크기",
        "pool-output-padded": "패딩이 있는 풀링 층의 출력 텐서 크기",
        "conv-params": "합성곱 층(Conv layer)의 파라미터 개수",
        "conv-params-hw": "정사각형이 아닌 커널을 쓰는 합성곱 층의 파라미터 개수",
        "fc-conv-params": "합성곱 층 뒤에 오는 완전 연결 층(FC layer)의 파라미터 개수",
        "fc-conv-params-hw": "정사각형이 아닌 특징 맵 뒤에 오는 완전 연결 층의 파라미터 개수",
        "fc-fc-params": "완전 연결 층 뒤에 오는 완전 연결 층(FC layer)의 파라미터 개수",
        "flatten": "펼친(flatten) 특징 맵의 길이",
        "conv-output-dilated": "팽창(dilation) 합성곱 층의 출력 텐서 크기",
        "conv-output-same": "'same' 패딩 합성곱 층의 출력 텐서 크기",
        "deconv-output": "전치 합성곱 층(transposed conv)의 출력 텐서 크기",
        "pool-output-dilated": "패딩 또는 팽창이 있는 최대 풀링 층의 출력 텐서 크기",
        "pool-ceil-last-window": "PyTorch ceil 모드: 마지막 풀링 창",
        "adaptive-pool-output": "적응형 풀링 층(adaptive pooling)의 출력 텐서 크기",
        "conv-params-grouped": "그룹 합성곱 층의 파라미터 개수",
        "conv-params-grouped-hw": "정사각형이 아닌 커널을 쓰는 그룹 합성곱 층의 파라미터 개수",
        "conv-params-1d": "1차원 합성곱 층의 파라미터 개수",
        "conv-params-grouped-1d": "1차원 그룹 합성곱 층의 파라미터 개수",
        "conv-params-3d": "3차원 합성곱 층의 파라미터 개수",
        "conv-params-grouped-3d": "3차원 그룹 합성곱 층의 파라미터 개수",
        "conv-params-dhw": "정육면체가 아닌 커널을 쓰는 3차원 합성곱 층의 파라미터 개수",
        "conv-params-grouped-dhw": "정육면체가 아닌 커널을 쓰는 3차원 그룹 합성곱 층의 파라미터 개수",
        "norm-params": "정규화 층(normalization layer)의 파라미터 개수",
        "bn-buffers": "배치 정규화 층의 버퍼 개수 (파라미터가 아님)",
    },
    "kind_notes": {
        "conv-output": "출력의 채널 수는 커널 개수($N$)와 같습니다.",
        "pool-output": "풀링은 채널 수를 바꾸지 않으며 파라미터가 없습니다.",
        "pool-output-padded": "풀링은 채널 수를 바꾸지 않으며 파라미터가 없습니다.",
        "conv-params": "커널의 깊이는 입력의 채널 수와 같으므로 커널 하나에 $K \\times K \\times C$개의 가중치와 바이어스 1개가 있고, 그런 커널이 $N$개입니다.",
        "conv-params-hw": "커널 하나에 $K_{h} \\times K_{w} \\times C$개의 가중치와 바이어스 1개가 있고, 그런 커널이 $N$개입니다.",
        "fc-conv-params": "$F$개의 뉴런이 각각 $O \\times O \\times N$ 입력의 모든 값과 연결됩니다.",
        "fc-conv-params-hw": "$F$개의 뉴런이 각각 $H \\times W \\times N$ 입력의 모든 값과 연결됩니다.",
        "fc-fc-params": "$F$개의 뉴런이 각각 이전 층의 뉴런 $F_{-1}$개와 모두 연결됩니다.",
    },
    "types": {
        "conv": "합성곱 층",
        "pool": "풀링 층",
        "fc": "완전 연결 층",
        "deconv": "전치 합성곱 층",
        "norm": "정규화 층",
        "act": "활성화 함수",
        "dropout": "드롭아웃 층",
        "flatten": "펼침(flatten) 층",
        "add": "잔차 덧셈",
        "concat": "채널 연결(concat)",
    },
    "symbol_meanings": {
        "I": "입력의 크기(너비)",
        "O": "출력의 크기(너비)",
        "K": "커널의 크기(너비)",
        "P": "패딩 크기",
        "S": "스트라이드",
        "N": "커널 개수 (출력 채널 수)",
        "C": "입력의 채널 수",
        "F": "완전 연결 층의 뉴런 수",
        "P_s": "풀링 크기",
        "F_prev": "이전 완전 연결 층의 뉴런 수",
        "H": "입력 특징 맵의 높이",
        "W": "입력 특징 맵의 너비",
        "K_h": "커널의 높이",
        "K_w": "커널의 너비",
        "D": "팽창(dilation)",
        "G": "그룹 수",
        "V": "특징 맵을 펼친 벡터의 길이",
        "W_c": "합성곱 층의 가중치 개수",
        "B_c": "합성곱 층의 바이어스 개수",
        "P_c": "합성곱 층의 파라미터 개수",
        "W_cf": "합성곱 층 뒤 완전 연결 층의 가중치 개수",
        "B_cf": "합성곱 층 뒤 완전 연결 층의 바이어스 개수",
        "P_cf": "합성곱 층 뒤 완전 연결 층의 파라미터 개수",
        "W_ff": "완전 연결 층 뒤 완전 연결 층의 가중치 개수",
        "B_ff": "완전 연결 층 뒤 완전 연결 층의 바이어스 개수",
        "P_ff": "완전 연결 층 뒤 완전 연결 층의 파라미터 개수",
        "K_d": "커널의 깊이",
        "P_o": "전치 합성곱 층의 출력 패딩",
        "O_a": "적응형 풀링 층에 지정한 출력 크기",
        "W_n": "정규화 층의 스케일(gamma) 개수",
        "B_n": "정규화 층의 시프트(beta) 개수",
        "P_n": "정규화 층의 파라미터 개수",
        "R_n": "배치 정규화 층의 이동 통계 버퍼 개수 (파라미터가 아님)",
    },
}

KO.update({
    "opaque_note": (
        "불투명 층 ({op}): symcnn에 이 연산의 공식이 없어, 출력은 가져올 때의 입력 크기에서 PyTorch(또는 ONNX)가 준 "
        "크기이며 유도한 값이 아닙니다. 닫힌 식은 이 층 앞에서 멈춥니다."
    ),
    "closed_stop": "닫힌 식은 {layer} 앞에서 멈춥니다. 이 층은 불투명 층(유도하지 않음)이며, 그 뒤의 층도 마찬가지입니다.",
    "shares_note": "{layer}의 파라미터를 함께 씁니다. 파라미터는 그 층에서 한 번만 셉니다.",
    "training_note": "학습할 때만 실행되는 층(보조 분기)입니다. 파라미터는 세지만, 크기는 입력을 제한하지 않습니다.",
    "skipped_note": "이 입력에서는 실행되지 않습니다 ({reason}). 개수는 네트워크 본래 입력에서의 값입니다.",
})
KO["kinds"].update({
    "upsample-output": "업샘플링 층의 출력 텐서 크기",
    "upsample-output-size": "크기를 지정한 업샘플링 층의 출력 텐서 크기",
    "pad-output": "패딩 층의 출력 텐서 크기",
    "crop-output": "자르기(crop) 층의 출력 텐서 크기",
    "tf-same-output": "TensorFlow SAME 패딩의 출력 텐서 크기",
    "tf-same-padding": "TensorFlow SAME 패딩의 전체 패딩 크기",
    "pixel-shuffle-output": "픽셀 셔플 층의 출력 텐서 크기",
    "pixel-shuffle-channels": "픽셀 셔플 층의 출력 채널 수",
    "pixel-unshuffle-output": "픽셀 언셔플 층의 출력 텐서 크기",
    "pixel-unshuffle-channels": "픽셀 언셔플 층의 출력 채널 수",
    "chunk-channels": "채널을 나눈 조각(chunk)의 채널 수",
    "chunk-channels-last": "마지막 조각(chunk)의 채널 수",
    "channel-linear-params": "채널마다 적용하는 완전 연결 층의 파라미터 개수",
    "scale-params": "채널별 스케일 층의 파라미터 개수",
    "xca-temperature": "교차 공분산 어텐션의 학습되는 온도 개수",
})
KO["types"].update({
    "mul": "원소별 곱셈", "split": "채널 나누기", "shuffle": "채널·픽셀 셔플", "upsample": "업샘플링 층",
    "pad": "패딩 층", "crop": "자르기 층", "scale": "채널별 스케일", "opaque": "불투명 층 (유도하지 않음)",
    "attention": "어텐션 층", "embed": "위치 인코딩",
})
KO["symbol_meanings"].update({
    "U": "업샘플링 배율", "R": "픽셀 셔플의 확대 배율 (언셔플의 축소 배율)",
    "P_b": "축의 앞쪽에 더하거나(패딩) 잘라내는(crop) 픽셀 수", "P_a": "축의 뒤쪽에 더하거나(패딩) 잘라내는(crop) 픽셀 수",
    "P_t": "TensorFlow SAME 패딩에서 한 축의 전체 패딩", "Q": "채널을 나누는 조각 수", "J": "조각의 번호 (첫 조각은 0)",
    "W_s": "채널별 스케일 층의 학습되는 스케일 개수",
    "N_h": "어텐션의 헤드 수", "W_t": "교차 공분산 어텐션의 학습되는 온도 개수 (헤드마다 하나)",
})

# Tokens and attention (vision transformers).
EN["kinds"].update({
    "tokens": "Number of tokens of a feature map",
    "class-token-output": "Number of tokens after the class token",
    "class-token-params": "Number of parameters of a class token",
    "position-embedding-params": "Number of parameters of a position embedding",
    "attention-params": "Number of parameters of a self-attention layer",
    "window-attention-params": "Number of parameters of a window self-attention layer",
    "patch-merge-output": "Output tensor size of a patch merging",
    "patch-merge-channels": "Output channels of a patch merging",
})
EN["types"].update({"tokens": "Tokens (patch grid, class token, position embedding)",
                    "attention": "Self-attention layers"})
KO["kinds"].update({
    "tokens": "특징 맵을 읽은 토큰 수",
    "class-token-output": "클래스 토큰을 붙인 뒤의 토큰 수",
    "class-token-params": "클래스 토큰의 파라미터 개수",
    "position-embedding-params": "위치 임베딩의 파라미터 개수",
    "attention-params": "셀프 어텐션 층의 파라미터 개수",
    "window-attention-params": "윈도 셀프 어텐션 층의 파라미터 개수",
    "patch-merge-output": "패치 병합 층의 출력 텐서 크기",
    "patch-merge-channels": "패치 병합 층의 출력 채널 수",
})
KO["types"].update({"tokens": "토큰 (패치 격자, 클래스 토큰, 위치 임베딩)", "attention": "셀프 어텐션 층"})
KO["symbol_meanings"].update({
    "L": "토큰 수 (토큰 시퀀스의 길이)", "E_t": "시퀀스 앞에 붙이는 토큰 수 (클래스 토큰, 증류 토큰)",
    "W_at": "셀프 어텐션 층의 가중치 개수", "B_at": "셀프 어텐션 층의 편향 개수",
    "P_at": "셀프 어텐션 층의 파라미터 개수", "W_ct": "시퀀스 앞에 붙이는 토큰의 학습되는 값 개수",
    "W_pe": "위치 임베딩의 학습되는 값 개수",
    "M": "어텐션 윈도의 크기 (너비)", "N_h": "어텐션 헤드 수",
})

# The memory of a training step, and compute as a profiler counts it.
EN.update({
    "memory": "Memory of a training step",
    "memory_intro": (
        "What one training step keeps, at {dtype} ($s$ = {s} bytes a value) with the optimiser {optimizer}, "
        "for a batch of $B$ samples of the input {input}: the parameters and their gradients, the optimiser's "
        "state ({state}), {buffers}and the activations autograd saves for the backward pass, as PyTorch "
        "saves them on the CPU. A tensor several operations save is kept once: the first layer that saves "
        "it counts it."
    ),
    "memory_buffers": "the buffers, ",
    "memory_states": {
        "sgd": "none", "momentum": "one float32 buffer a parameter",
        "adam": "two float32 moments a parameter and a float32 step count a parameter tensor",
        "adamw": "two float32 moments a parameter and a float32 step count a parameter tensor",
    },
    "memory_symbols": {
        "s": "bytes of a value", "n_p": "parameters", "n_t": "parameter tensors",
        "n_r": "buffer values (running mean, variance and batch count)", "n_b": "layers keeping buffers",
        "n_a": "values saved for backward, per sample", "n_i": "int64 indices saved (max pooling), per sample",
        "n_c": "channels of the batch norms (two float32 statistics each, per batch)",
        "M_p": "bytes of the parameters", "M_g": "bytes of their gradients", "M_o": "bytes of the optimiser state",
        "M_b": "bytes of the buffers", "M_s": "bytes of the statistics saved, per batch",
        "M_a": "bytes of the activations saved, per sample", "M_f": "bytes that do not grow with the batch",
        "M_t": "bytes of a training step", "M_max": "the budget", "B_max": "the largest batch in it",
        "B": "batch size",
    },
    "memory_layers": "What each layer saves for backward (bytes per sample):",
    "col_saves": "saves",
    "col_bytes_closed": "bytes (closed form)",
    "col_bytes_at": "bytes at {input}",
    "saved_what": {
        "input": "input", "output": "output", "copy": "a copy of its input", "indices": "indices",
        "statistics": "statistics", "mask": "mask", "qkv": "queries, keys and values",
        "weights": "attention weights", "attention": "attention output", "logsumexp": "log-sum-exp per head",
    },
    "saved_kept": "{what} (kept by {layer})",
    "memory_closed": "In closed form in $I$, with the same rounding:",
    "memory_fit": (
        "The largest batch whose step fits in {budget} bytes (24 GiB), checked against the closed form at "
        "that batch and at the next:"
    ),
    "memory_fit_none": "Not one sample fits in {budget} bytes (24 GiB):",
    "memory_fit_checked": "With a batch of {batch} the step is within the budget; with {next} it is past it.",
    "memory_not_counted": (
        "Not counted: the allocator's caching and fragmentation, the workspace of the convolution algorithms, "
        "the gradients of the activations while the backward pass runs, and the data loader's batches."
    ),
    "memory_none": "No memory at this input: {reason}.",
    "count_section": "Compute as {tool} counts it",
    "count_intro": "{tool} counts {unit}: {summary}. Its rule for each kind of layer this network has, and its figure here:",
    "count_kind": "{kind}: {formula}; {value}",
    "count_kind_note": "{kind}: {formula}; {value} ({note})",
    "count_total": "In all: {value} {unit}",
    "count_closed": "In closed form in $I$: {closed}",
    "count_not_derived": "Without the opaque layers (not derived): {layers}.",
})
KO.update({
    "memory": "학습 한 단계의 메모리",
    "memory_intro": (
        "학습 한 단계가 유지하는 메모리입니다. 자료형은 {dtype} (값 하나에 $s$ = {s} 바이트), 옵티마이저는 "
        "{optimizer}, 입력 {input}의 샘플 $B$개 배치에서: 파라미터와 그 기울기, 옵티마이저 상태 ({state}), "
        "{buffers}그리고 역전파를 위해 autograd가 저장하는 활성값 (PyTorch가 CPU에서 저장하는 그대로). 여러 연산이 "
        "저장하는 텐서는 한 번만 유지되며, 처음 저장하는 층에서 셉니다."
    ),
    "memory_buffers": "버퍼, ",
    "memory_states": {
        "sgd": "없음", "momentum": "파라미터마다 float32 버퍼 하나",
        "adam": "파라미터마다 float32 모멘트 두 개, 파라미터 텐서마다 float32 단계 수 하나",
        "adamw": "파라미터마다 float32 모멘트 두 개, 파라미터 텐서마다 float32 단계 수 하나",
    },
    "memory_symbols": {
        "s": "값 하나의 바이트 수", "n_p": "파라미터 개수", "n_t": "파라미터 텐서 개수",
        "n_r": "버퍼 값 개수 (이동 평균, 분산, 배치 수)", "n_b": "버퍼를 가진 층의 개수",
        "n_a": "샘플 하나당 역전파를 위해 저장하는 값 개수", "n_i": "샘플 하나당 저장하는 int64 인덱스 개수 (최대 풀링)",
        "n_c": "배치 정규화 층의 채널 수 (채널마다 float32 통계 두 개, 배치당)",
        "M_p": "파라미터의 바이트 수", "M_g": "기울기의 바이트 수", "M_o": "옵티마이저 상태의 바이트 수",
        "M_b": "버퍼의 바이트 수", "M_s": "배치당 저장하는 통계의 바이트 수",
        "M_a": "샘플 하나당 저장하는 활성값의 바이트 수", "M_f": "배치와 상관없는 바이트 수",
        "M_t": "학습 한 단계의 바이트 수", "M_max": "예산", "B_max": "예산 안에 드는 가장 큰 배치",
        "B": "배치 크기",
    },
    "memory_layers": "층마다 역전파를 위해 저장하는 것 (샘플 하나당 바이트 수):",
    "col_saves": "저장하는 것",
    "col_bytes_closed": "바이트 수 (닫힌 식)",
    "col_bytes_at": "{input}에서",
    "saved_what": {
        "input": "입력", "output": "출력", "copy": "입력의 복사본", "indices": "인덱스",
        "statistics": "통계", "mask": "마스크", "qkv": "쿼리, 키, 값", "weights": "어텐션 가중치",
        "attention": "어텐션 출력", "logsumexp": "헤드별 log-sum-exp",
    },
    "saved_kept": "{what} ({layer}에서 셈)",
    "memory_closed": "같은 반올림 방식으로 $I$의 닫힌 식으로 나타내면:",
    "memory_fit": "{budget} 바이트 (24 GiB) 안에 드는 가장 큰 배치와, 그 배치와 다음 배치에서 닫힌 식으로 확인한 값:",
    "memory_fit_none": "{budget} 바이트 (24 GiB) 안에는 샘플 하나도 들어가지 않습니다:",
    "memory_fit_checked": "배치 {batch}에서는 예산 안에 들고, 배치 {next}에서는 예산을 넘습니다.",
    "memory_not_counted": (
        "세지 않은 것: 할당자의 캐시와 단편화, 합성곱 알고리즘의 작업 공간, 역전파 중의 활성값 기울기, 데이터 로더의 배치."
    ),
    "memory_none": "이 입력에서는 메모리를 계산하지 않습니다: {reason}.",
    "count_section": "{tool} 방식으로 센 연산량",
    "count_intro": "{tool}은(는) {unit}을(를) 셉니다: {summary}. 이 네트워크에 있는 층 종류마다 그 규칙과 값:",
    "count_kind": "{kind}: {formula}; {value}",
    "count_kind_note": "{kind}: {formula}; {value} ({note})",
    "count_total": "합계: {value} {unit}",
    "count_closed": "$I$의 닫힌 식: {closed}",
    "count_not_derived": "불투명 층(유도하지 않음)은 빼고 셉니다: {layers}.",
})

KO["latex_preamble"] = [r"\usepackage{kotex}", r"\setmainhangulfont{UnBatang}", r"\setsanshangulfont{UnDotum}"]

STRINGS: dict[str, dict] = {"en": EN, "ko": KO}
LANGUAGES = tuple(STRINGS)

__all__ = ["STRINGS", "LANGUAGES", "EN", "KO"]
