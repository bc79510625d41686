/**
 * Official civil-servant day-off schedules, as announced each year (the Prime
 * Minister fixes the Tết days and the second National Day day under Labour
 * Code 2019 Art. 112(3); swaps of a weekday for a Saturday are announced by
 * the Government Office or the Ministry of Labour).
 *
 * Each entry names the act it comes from. Where the announcement's number
 * could not be read, the source says so and names the statutory rule the
 * day follows. Years 2020–2022 were reconstructed from memory of the
 * announcements (shared/DOMAIN.md) and are marked `confirmed: false`, so
 * deadlines in them stay provisional until an administrator loads the
 * checked schedule (PUT /api/v1/calendar/:year).
 *
 * A correction is one line of data here, or one API call without a deploy.
 */
import type { OfficialScheduleInput } from './schedule-schema.js';

const LC = 'Bộ luật Lao động 2019, Điều 112 khoản 1';
const LC_COMP = 'Bộ luật Lao động 2019, Điều 111 khoản 3 (nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần)';
const UNCONFIRMED = 'chưa xác minh số văn bản (theo trí nhớ, shared/DOMAIN.md)';

export const OFFICIAL_SCHEDULES: OfficialScheduleInput[] = [
  {
    year: 2020,
    confirmed: false,
    daysOff: [
      { from: '2020-01-01', name: 'Tết Dương lịch', source: LC },
      { from: '2020-01-23', to: '2020-01-29', name: 'Tết Nguyên đán Canh Tý', source: UNCONFIRMED },
      { from: '2020-04-02', name: 'Giỗ Tổ Hùng Vương', source: LC },
      { from: '2020-04-30', name: 'Ngày Chiến thắng', source: LC },
      { from: '2020-05-01', name: 'Ngày Quốc tế lao động', source: LC },
      { from: '2020-09-02', name: 'Quốc khánh', source: 'Bộ luật Lao động 2012, Điều 115 (một ngày Quốc khánh đến hết năm 2020)' },
    ],
  },
  {
    year: 2021,
    confirmed: false,
    daysOff: [
      { from: '2021-01-01', name: 'Tết Dương lịch', source: LC },
      { from: '2021-02-10', to: '2021-02-16', name: 'Tết Nguyên đán Tân Sửu', source: UNCONFIRMED },
      { from: '2021-04-21', name: 'Giỗ Tổ Hùng Vương', source: LC },
      { from: '2021-04-30', name: 'Ngày Chiến thắng', source: LC },
      { from: '2021-05-01', name: 'Ngày Quốc tế lao động', source: LC },
      { from: '2021-05-03', name: 'Nghỉ bù Ngày Quốc tế lao động (1/5 trùng Thứ Bảy)', source: LC_COMP },
      { from: '2021-09-02', to: '2021-09-03', name: 'Quốc khánh', source: UNCONFIRMED },
    ],
  },
  {
    year: 2022,
    confirmed: false,
    daysOff: [
      { from: '2022-01-01', to: '2022-01-03', name: 'Tết Dương lịch (nghỉ bù 3/1)', source: LC_COMP },
      { from: '2022-01-29', to: '2022-02-06', name: 'Tết Nguyên đán Nhâm Dần', source: UNCONFIRMED },
      { from: '2022-04-10', to: '2022-04-11', name: 'Giỗ Tổ Hùng Vương (nghỉ bù 11/4)', source: LC_COMP },
      { from: '2022-04-30', to: '2022-05-03', name: 'Ngày Chiến thắng, Quốc tế lao động (nghỉ bù 2–3/5)', source: LC_COMP },
      { from: '2022-09-01', to: '2022-09-02', name: 'Quốc khánh', source: UNCONFIRMED },
    ],
  },
  {
    year: 2023,
    confirmed: true,
    daysOff: [
      { from: '2022-12-31', to: '2023-01-02', name: 'Tết Dương lịch (nghỉ bù 2/1)', source: LC_COMP },
      { from: '2023-01-20', to: '2023-01-26', name: 'Tết Nguyên đán Quý Mão', source: `${LC}; số thông báo chưa xác minh` },
      { from: '2023-04-29', to: '2023-05-03', name: 'Giỗ Tổ Hùng Vương, Ngày Chiến thắng, Quốc tế lao động (nghỉ bù 2–3/5)', source: LC_COMP },
      { from: '2023-09-01', to: '2023-09-04', name: 'Quốc khánh (nghỉ bù 4/9)', source: 'Công văn 8056/VPCP-KGVX' },
    ],
  },
  {
    year: 2024,
    confirmed: true,
    daysOff: [
      { from: '2024-01-01', name: 'Tết Dương lịch', source: LC },
      { from: '2024-02-08', to: '2024-02-14', name: 'Tết Nguyên đán Giáp Thìn', source: `${LC}; số thông báo chưa xác minh` },
      { from: '2024-04-18', name: 'Giỗ Tổ Hùng Vương', source: LC },
      { from: '2024-04-27', to: '2024-05-01', name: 'Ngày Chiến thắng, Quốc tế lao động (hoán đổi 29/4)', source: 'Công văn 2450/VPCP-KGVX' },
      { from: '2024-08-31', to: '2024-09-03', name: 'Quốc khánh', source: `${LC}; số thông báo chưa xác minh` },
    ],
    workingWeekendDays: [{ date: '2024-05-04', name: 'Làm bù cho ngày 29/4/2024', source: 'Công văn 2450/VPCP-KGVX' }],
  },
  {
    year: 2025,
    confirmed: true,
    daysOff: [
      { from: '2025-01-01', name: 'Tết Dương lịch', source: LC },
      { from: '2025-01-25', to: '2025-02-02', name: 'Tết Nguyên đán Ất Tỵ', source: 'Công văn 8726/VPCP-KGVX' },
      { from: '2025-04-07', name: 'Giỗ Tổ Hùng Vương', source: LC },
      { from: '2025-04-30', to: '2025-05-04', name: 'Ngày Chiến thắng, Quốc tế lao động (hoán đổi 2/5)', source: `${LC}; số văn bản hoán đổi chưa xác minh` },
      { from: '2025-08-30', to: '2025-09-02', name: 'Quốc khánh', source: `${LC}; số thông báo chưa xác minh` },
    ],
    workingWeekendDays: [{ date: '2025-04-26', name: 'Làm bù cho ngày 2/5/2025', source: `${LC}; số văn bản hoán đổi chưa xác minh` }],
  },
  {
    year: 2026,
    confirmed: true,
    daysOff: [
      { from: '2026-01-01', to: '2026-01-04', name: 'Tết Dương lịch (hoán đổi 2/1)', source: 'Công văn 12729/VPCP-KGVX' },
      { from: '2026-02-14', to: '2026-02-22', name: 'Tết Nguyên đán Bính Ngọ', source: `${LC}; số thông báo chưa xác minh` },
      { from: '2026-04-27', name: 'Nghỉ bù Giỗ Tổ Hùng Vương (26/4 trùng Chủ nhật)', source: LC_COMP },
      { from: '2026-04-30', to: '2026-05-03', name: 'Ngày Chiến thắng, Quốc tế lao động', source: LC },
      { from: '2026-08-29', to: '2026-09-02', name: 'Quốc khánh (hoán đổi 31/8)', source: `${LC}; số văn bản hoán đổi chưa xác minh` },
    ],
    workingWeekendDays: [
      { date: '2026-01-10', name: 'Làm bù cho ngày 2/1/2026', source: 'Công văn 12729/VPCP-KGVX' },
      { date: '2026-08-22', name: 'Làm bù cho ngày 31/8/2026', source: `${LC}; số văn bản hoán đổi chưa xác minh` },
    ],
  },
];
