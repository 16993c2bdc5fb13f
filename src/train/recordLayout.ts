import { MEASURE_NAMES, NO_MEASURES, type MeasuredRecord, type MeasureSwitches } from './measureSwitches.ts';

/**
 * How records travel from a worker to the page: a Float32Array of `layout.length` numbers per
 * record, fields in layout order. The layout is chosen per run from its measurement switches, so
 * a panel that shows only the loss pays for three numbers a record, and one that shows the theory's
 * quantities gets them as extra columns without a protocol change.
 */

/** Scalar fields every record carries. */
export const BASE_FIELDS = ['step', 'loss', 'gradNorm'] as const;

/** The scalar fields each measurement switch adds (per-layer arrays stay in the worker). */
export const MEASURED_FIELDS = {
  pl: ['plRatio'],
  ntk: ['lambdaMin', 'lambdaMax', 'twoLambdaMin', 'ntkDrift'],
  rho: ['rho', 'rhoLinear', 'rhoRelu'],
  dist: ['distFro', 'distRel'],
  spec: ['distSpec'],
  flips: ['flipFrac'],
  test: ['testLoss', 'trainLossMean'],
  kernel: ['kernelTestLoss'],
} as const satisfies Record<keyof MeasureSwitches, readonly (keyof MeasuredRecord)[]>;

type MeasuredField = (typeof MEASURED_FIELDS)[keyof typeof MEASURED_FIELDS][number];
export type RecordField = (typeof BASE_FIELDS)[number] | MeasuredField;

/** Fields of a record that has `switches` on: the base fields, then each switch's in MEASURE_NAMES order. */
export function recordLayout(switches: Partial<MeasureSwitches> = NO_MEASURES): RecordField[] {
  const out: RecordField[] = [...BASE_FIELDS];
  for (const name of MEASURE_NAMES) if (switches[name]) out.push(...MEASURED_FIELDS[name]);
  return out;
}

/** Packs records field by field; a field a record lacks (a measure that was skipped) becomes NaN. */
export function packRecords(recs: readonly MeasuredRecord[], layout: readonly RecordField[] = BASE_FIELDS): Float32Array {
  const stride = layout.length;
  const out = new Float32Array(recs.length * stride);
  recs.forEach((r, i) => {
    for (let k = 0; k < stride; k++) {
      const v = r[layout[k]];
      out[i * stride + k] = typeof v === 'number' ? v : NaN;
    }
  });
  return out;
}

/** Unpacks a batch into plain records (fields the layout lacks are absent). */
export function unpackRecords(data: Float32Array, layout: readonly RecordField[] = BASE_FIELDS): MeasuredRecord[] {
  const batch = new RecordBatch(layout, data);
  return batch.toObjects() as unknown as MeasuredRecord[];
}

/** A packed batch read back on the page, without unpacking into objects. */
export class RecordBatch {
  readonly stride: number;
  readonly count: number;
  private readonly column: Map<RecordField, number>;

  constructor(
    readonly layout: readonly RecordField[],
    readonly data: Float32Array,
  ) {
    this.stride = layout.length;
    this.count = Math.floor(data.length / this.stride);
    this.column = new Map(layout.map((f, k) => [f, k]));
  }

  has(field: RecordField): boolean {
    return this.column.has(field);
  }

  /** Record i's value of `field`; NaN when the layout lacks it. */
  get(i: number, field: RecordField): number {
    const k = this.column.get(field);
    return k === undefined ? NaN : this.data[i * this.stride + k];
  }

  /** The batch as plain objects (tests, CSV export). */
  toObjects(): Partial<Record<RecordField, number>>[] {
    return Array.from({ length: this.count }, (_, i) => Object.fromEntries(this.layout.map((f) => [f, this.get(i, f)])));
  }
}
