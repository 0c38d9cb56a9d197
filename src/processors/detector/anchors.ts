/**
 * SSD anchors of MediaPipe's 256×256 ("back camera") BlazeFace: four layers with strides
 * 16, 32, 32, 32 and two anchors per layer; layers that share a stride share a grid, giving
 * 16·16·2 + 8·8·6 = 896 anchors of fixed unit size.
 */
export type Anchor = { x: number; y: number };

export function blazefaceAnchors(inputSize = 256, strides = [16, 32, 32, 32], anchorsPerLayer = 2): Anchor[] {
  const anchors: Anchor[] = [];
  let layer = 0;
  while (layer < strides.length) {
    const stride = strides[layer];
    let repeats = 0;
    while (layer < strides.length && strides[layer] === stride) {
      repeats += anchorsPerLayer;
      layer++;
    }
    const grid = Math.ceil(inputSize / stride);
    for (let y = 0; y < grid; y++) {
      for (let x = 0; x < grid; x++) {
        for (let r = 0; r < repeats; r++) anchors.push({ x: (x + 0.5) / grid, y: (y + 0.5) / grid });
      }
    }
  }
  return anchors;
}
