/**
 * The national portal's scores as the portal computes them (DOMAIN §5, the portal's formula document and its
 * Sep–Oct 2026 responses): "portal-compatible mode", labelled so wherever it is shown. The product's own figures keep
 * "N/A" for an empty denominator; the portal scores such a case by its own conventions, printed beside them.
 */
import {
  averageProcessingTime,
  type Counts,
  onlinePaymentRate,
  satisfactionRate,
  electronicResultRate,
  digitisationRate,
  percentOf,
  reuseRate,
  round2,
} from './rates.js';

export const PORTAL_MODE = 'portal-compatible';

/**
 * One unit's progress row in the portal's shape: `totalReceived` = `totalOnTime` + `totalOverdue`, both including the
 * dossiers still open (on time while their end of processing, judged as the 766 formula does, is not after the
 * appointment; overdue once it is). `ratio` is a percentage with 2 decimals; `score` = 20 × ratio, linear, no
 * threshold; an empty unit scores 0 on the portal (its ratio stays null here: "N/A").
 */
export function portalProgress(c: Counts) {
  const totalOnTime = c.early + c.onTime + c.openOnTrack;
  const totalOverdue = c.late + c.openOverdue;
  const totalReceived = totalOnTime + totalOverdue;
  const share = totalReceived === 0 ? null : totalOnTime / totalReceived;
  const average = averageProcessingTime(c);
  return {
    totalReceived,
    totalOnTime,
    totalOverdue,
    totalCompleted: c.finished,
    /** In the procedure's own unit, for one procedure only (processing times in different units do not add up). */
    avgProcessingDays: average === null ? null : round2(average),
    ratio: percentOf(share),
    score: share === null ? 0 : round2(20 * share),
    maxScore: 20,
  };
}

/** A portal score: full marks at or above the threshold, else rate × weight / threshold; the portal's score when empty. */
function scored(rate: number | null, weight: number, threshold: number, whenEmpty: number) {
  return rate === null ? whenEmpty : round2(Math.min(weight, (weight * rate) / threshold));
}

/**
 * The portal's scores this service can compute, each with its points and the convention for an empty denominator
 * (DOMAIN §5: progress 0, 5.4 0, payment 0). The 12-point online-service (DVCTT) score is not among them: the portal
 * now counts full-online dossiers over those of procedures eligible for full-online service, a formula not confirmed;
 * indicator 3.3 is a different number and is never presented as that score.
 */
export function portalScores(c: Counts) {
  return [
    {
      id: 'progress',
      name: 'Tiến độ giải quyết (2.1)',
      score: portalProgress(c).score,
      maxScore: 20,
      source: '20 × tỷ lệ đúng hạn (tính cả hồ sơ đang giải quyết); không có hồ sơ: 0 điểm',
    },
    {
      id: 'online-payment',
      name: 'Thanh toán trực tuyến (3.6)',
      score: scored(onlinePaymentRate(c), 10, 1, 0),
      maxScore: 10,
      source: '10 × tỷ lệ (ngưỡng chưa xác minh: 100 %); không có hồ sơ phải nộp phí: 0 điểm',
    },
    {
      id: 'electronic-result',
      name: 'Cấp kết quả điện tử (4.1)',
      score: scored(electronicResultRate(c), 6, 1, 0),
      maxScore: 6,
      source: '6 điểm trong nhóm số hóa (ngưỡng chưa xác minh: 100 %)',
    },
    {
      id: 'digitised-components',
      name: 'Số hóa thành phần hồ sơ (4.2)',
      score: scored(digitisationRate(c), 4, 0.8, 0),
      maxScore: 4,
      source: '4 điểm trong nhóm số hóa, đủ điểm từ 80 %',
    },
    {
      id: 'reuse',
      name: 'Khai thác, sử dụng lại dữ liệu số hóa (4.3)',
      score: scored(reuseRate(c), 2, 0.8, 0),
      maxScore: 2,
      source: '2 điểm trong nhóm số hóa, đủ điểm từ 80 %',
    },
    {
      id: 'satisfaction',
      name: 'Mức độ hài lòng (5.4)',
      score: scored(satisfactionRate(c), 6, 0.9, 0),
      maxScore: 6,
      source: 'min(6, 6 × tỷ lệ / 90 %); không có hồ sơ: 0 điểm',
    },
    {
      id: 'online-service',
      name: 'Cung cấp dịch vụ trực tuyến (DVCTT)',
      score: null,
      maxScore: 12,
      source: 'Không tính: Cổng đã đổi công thức (hồ sơ toàn trình / hồ sơ của TTHC đủ điều kiện toàn trình), chưa xác minh; chỉ số 3.3 không phải điểm này',
    },
  ];
}
