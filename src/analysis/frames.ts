/**
 * The tables analyses return: danfojs DataFrames built from plain row objects, and the rows back
 * (what Vega-Lite takes as inline data). How frames are saved is the figures' business
 * (src/figures/data-file.ts).
 *
 * @example
 *   const frame = frameFromRows([{ epoch: 1, importance: 0.5 }]);
 *   frameRows(frame);   // [{ epoch: 1, importance: 0.5 }]
 */
import * as dfd from 'danfojs-node';

export type DataFrame = dfd.DataFrame;
export type Frames = Record<string, DataFrame>;
export type Row = Record<string, number | string | boolean | null>;

/** A DataFrame from row objects; `columns` keeps the header of an empty table. */
export function frameFromRows(rows: Row[], columns?: string[]): DataFrame {
  const header = columns ?? Object.keys(rows[0] ?? {});
  return rows.length === 0 ? new dfd.DataFrame([], { columns: header }) : new dfd.DataFrame(rows, { columns: header });
}

/** The rows of a frame as plain objects (what Vega-Lite takes as inline data). */
export function frameRows(frame: DataFrame): Row[] {
  return frame.shape[0] === 0 ? [] : (dfd.toJSON(frame, { format: 'column' }) as Row[]);
}
