import { ev } from './events.js';

const TH = 'SLA.P.TOHIEU.TTPV';

/**
 * A small province, reasoned by hand for Q3 2025 (calendar: 1 Jul – 30 Sep). Procedure 1.004194 is
 * 3 working days with a fee, 1.000656 (khai tử) 1 working day without.
 * A  received Fri 27 Jun 09:00 by phường Chiềng Lề (before the reform), due Wed 2 Jul 09:00,
 *    finished Tue 1 Jul → finished in Q3, early. Not received in Q3.
 * B  received Mon 7 Jul 09:00 at Tô Hiệu, online, paid online, digitised; due Thu 10 Jul 09:00, done 08:30 → on time,
 *    with an electronic result.
 * C  received Mon 7 Jul 09:00, direct, due Thu 10 Jul 09:00, done Fri 11 Jul 09:00 → late.
 * D  received Tue 8 Jul 09:00, due Fri 11 Jul 09:00; paused Tue 10:00 → Thu 10:00 (16 working hours)
 *    → due Tue 15 Jul 09:00; done Tue 15 Jul 08:45 → on time (late without the pause).
 * E  received Mon 29 Sep 09:00, open; due Thu 2 Oct 09:00, after the period's end → open, within time.
 * F  received Mon 22 Sep 09:00, open; due Thu 25 Sep 09:00 → open, overdue at the end.
 * G  khai tử received Mon 4 Aug 09:00 online, digitised, withdrawn 10:00 (due Tue 5 Aug 09:00) → finished, early.
 * J  received Mon 7 Jul 09:00 at phường Mộc Châu, done Tue 8 Jul → early.
 * K  received Mon 7 Jul 09:00 at Tô Hiệu, due Thu 10 Jul 09:00; rescheduled by apology on Tue 8 Jul to Mon 14 Jul 17:00;
 *    done Fri 11 Jul 10:00 → early against the new appointment (late against the first one).
 * H  received 2 Oct (after) and I (received and finished in May) do not count.
 *
 * Totals: received 8 (B C D E F G J K), online 2 (B G), finished 7 (A B C D G J K): early 4 (A G J K), on time 2 (B D),
 * late 1 (C); open on track 1 (E), overdue 1 (F); with a fee and started in Q3 7 (B C D E F J K; A's clock started
 * in June), paid online 1 (B); digitised 2 (B G). Both procedures return a paper result, and only B got an electronic
 * one: so 3.3 counts B and not G (online, but no electronic result), and 4.2 likewise.
 * Progress (766) = (4 + 2 + 1) / (7 + 1 + 1) = 7/9; on time among finished = 6/7; online submission (3.3) 1/8;
 * online payment 1/7; digitisation (4.2) 1/8; electronic result (4.1) 1/8.
 */
export function q3Events() {
  const fee = { procedureCode: '1.004194' };
  return [
    ev.received('A', '2025-06-27T09:00:00+07:00', { ...fee, receivingAgencyCode: 'SLA.TPSL.CLE' }),
    ev.of('result_ready', 'A', '2025-07-01T10:00:00+07:00'),
    ev.received('B', '2025-07-07T09:00:00+07:00', { ...fee, receivingAgencyCode: TH, channel: 'online', digitized: true }),
    ev.of('payment_recorded', 'B', '2025-07-07T09:05:00+07:00', { amount: 15000, method: 'online', viaNationalPortal: true }),
    ev.of('result_ready', 'B', '2025-07-10T08:30:00+07:00', { electronicResult: true }),
    ev.received('C', '2025-07-07T09:00:00+07:00', { ...fee, receivingAgencyCode: TH }),
    ev.of('payment_recorded', 'C', '2025-07-07T09:05:00+07:00', { amount: 15000, method: 'counter', viaNationalPortal: false }),
    ev.of('result_ready', 'C', '2025-07-11T09:00:00+07:00'),
    ev.received('D', '2025-07-08T09:00:00+07:00', { ...fee, receivingAgencyCode: TH }),
    ev.of('supplement_requested', 'D', '2025-07-08T10:00:00+07:00', { reason: 'Thiếu giấy tờ' }),
    ev.of('supplement_received', 'D', '2025-07-10T10:00:00+07:00'),
    ev.of('result_ready', 'D', '2025-07-15T08:45:00+07:00'),
    ev.received('E', '2025-09-29T09:00:00+07:00', { ...fee, receivingAgencyCode: TH }),
    ev.received('F', '2025-09-22T09:00:00+07:00', { ...fee, receivingAgencyCode: TH }),
    ev.received('G', '2025-08-04T09:00:00+07:00', {
      procedureCode: '1.000656',
      feeRequired: false,
      receivingAgencyCode: TH,
      channel: 'online',
      digitized: true,
    }),
    ev.of('withdrawn', 'G', '2025-08-04T10:00:00+07:00'),
    ev.received('J', '2025-07-07T09:00:00+07:00', { ...fee, receivingAgencyCode: 'SLA.P.MOCCHAU.TTPV' }),
    ev.of('result_ready', 'J', '2025-07-08T10:00:00+07:00'),
    ev.received('K', '2025-07-07T09:00:00+07:00', { ...fee, receivingAgencyCode: TH }),
    ev.of('apology_issued', 'K', '2025-07-08T09:00:00+07:00', { reason: 'Cần xác minh', newDueAt: '2025-07-14T17:00:00+07:00' }),
    ev.of('result_ready', 'K', '2025-07-11T10:00:00+07:00'),
    ev.received('H', '2025-10-02T09:00:00+07:00', { ...fee, receivingAgencyCode: TH }),
    ev.received('I', '2025-05-05T09:00:00+07:00', { ...fee, receivingAgencyCode: 'SLA.TPSL.CLE' }),
    ev.of('result_ready', 'I', '2025-05-07T09:00:00+07:00'),
  ];
}

export const Q3_TOTAL = {
  received: 8,
  receivedOnline: 2,
  finished: 7,
  early: 4,
  onTime: 2,
  late: 1,
  openOnTrack: 1,
  openOverdue: 1,
  feeRequired: 7,
  paidOnline: 1,
  digitized: 2,
  onlineFull: 1,
  digitizedFull: 1,
  paperResult: 8,
  electronicResult: 1,
};
