/**
 * The SVG path of a d3-contour MultiPolygon, each point mapped by `point`: what d3-geo's
 * geoPath(geoTransform({ point })) draws for it (each ring without its repeated closing point, "M"
 * then "L"s, closed with "Z", coordinates rounded to 3 decimals), without d3-geo's 6 KB of minified
 * script for the landscape panel.
 */
export function contourPath(shape: { coordinates: number[][][][] }, point: (x: number, y: number) => [number, number]): string {
  const r = (v: number) => Math.round(v * 1000) / 1000;
  let d = '';
  for (const polygon of shape.coordinates)
    for (const ring of polygon) {
      for (let i = 0; i < ring.length - 1; i++) {
        const [x, y] = point(ring[i][0], ring[i][1]);
        d += `${i ? 'L' : 'M'}${r(x)},${r(y)}`;
      }
      d += 'Z';
    }
  return d;
}
