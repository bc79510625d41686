/**
 * The pages' charts as inline SVG data (nothing loaded from outside): bars per
 * agency and columns per month on a 0–100 % axis, with the 98 % target line;
 * no data is said ("N/A"), never drawn as 0 %.
 */
import { percentOf } from '../reports/rates.js';

/** What a chart reads of a report row. */
export interface ChartRow {
  key: string;
  label: string;
  progressRate: number | null;
}

export const pctText = (v: number | null) => (v === null ? 'N/A' : `${percentOf(v)!.toFixed(2).replace('.', ',')} %`);

const TARGET = 0.98;

/** Bars per agency, 0–100 % over 380 px from x = 300, with the target line; no data is said, not drawn as 0 %. */
export function chartOf(rows: ChartRow[]) {
  const bars = rows.map((r, i) => {
    const rate = r.progressRate;
    const width = rate === null ? 0 : Math.round(rate * 380);
    return {
      label: r.label.length > 44 ? `${r.label.slice(0, 43)}…` : r.label,
      y: 24 + i * 22,
      textY: 36 + i * 22,
      width,
      textX: 306 + width,
      text: rate === null ? 'Không có dữ liệu' : pctText(rate),
      color: rate === null ? '#bbb' : rate >= 0.95 ? '#2e7d32' : rate >= 0.8 ? '#f9a825' : '#c62828',
    };
  });
  const height = 32 + rows.length * 22;
  return {
    bars,
    height,
    targetX: 300 + Math.round(TARGET * 380),
    targetText: `Mục tiêu ${pctText(TARGET)}`,
    axisBottom: height - 4,
    ticks: [0, 0.5, 1].map((v) => ({ x: 300 + v * 380, text: `${v * 100} %` })),
  };
}

/** Columns per month on a 0–100 % axis (130 px high from y = 150), with values, the target line and "no data". */
export function trendOf(rows: ChartRow[]) {
  const w = Math.max(8, Math.min(50, Math.floor(680 / Math.max(1, rows.length)) - 6));
  return {
    gridlines: [0, 0.5, 1].map((v) => ({ y: 150 - v * 130, text: `${v * 100} %` })),
    targetY: 150 - Math.round(TARGET * 130),
    targetText: `Mục tiêu ${pctText(TARGET)}`,
    points: rows.map((r, i) => {
      const h = r.progressRate === null ? 0 : Math.round(r.progressRate * 130);
      return {
        x: 44 + i * (w + 6),
        y: 150 - h,
        w,
        h,
        label: r.label,
        short: r.key.slice(5),
        text: pctText(r.progressRate),
        value: r.progressRate === null ? 'N/A' : `${Math.round(r.progressRate * 100)}`,
        valueY: 146 - h,
      };
    }),
  };
}
