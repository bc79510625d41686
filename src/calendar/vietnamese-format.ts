/**
 * Dates the way Vietnamese administrative documents write them:
 * "ngày 07 tháng 02 năm 2025", "10 giờ 00 phút, ngày 07 tháng 02 năm 2025".
 */
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { ZONE, VIETNAMESE_WEEKDAYS, weekdayOf, localDayOf, localDayStart, dayFromIsoDate } from './local-time.js';

export function vietnameseDate(instantMs: number): string {
  return format(new TZDate(instantMs, ZONE), "'ngày' dd 'tháng' MM 'năm' yyyy");
}

export function vietnameseInstant(instantMs: number): string {
  return format(new TZDate(instantMs, ZONE), "HH 'giờ' mm 'phút', 'ngày' dd 'tháng' MM 'năm' yyyy");
}

/** "Thứ Sáu, 07/02/2025" */
export function vietnameseShortDate(instantMs: number): string {
  return `${VIETNAMESE_WEEKDAYS[weekdayOf(localDayOf(instantMs))]}, ${format(new TZDate(instantMs, ZONE), 'dd/MM/yyyy')}`;
}

/** "10:00 Thứ Sáu, 07/02/2025" */
export function vietnameseShortInstant(instantMs: number): string {
  return `${format(new TZDate(instantMs, ZONE), 'HH:mm')} ${vietnameseShortDate(instantMs)}`;
}

/** "Thứ Sáu, 07/02/2025" for a calendar date `YYYY-MM-DD`. */
export function vietnameseShortIsoDate(date: string): string {
  return vietnameseShortDate(localDayStart(dayFromIsoDate(date)));
}
