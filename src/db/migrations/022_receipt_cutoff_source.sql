-- Issue 23 item 3: a procedure's receipt cut-off ("received after 15:00 → the next working day") is the law of that
-- procedure (Decree 63/2024/NĐ-CP Art. 7(2), the civil-status and certification rules), so it carries the text that
-- sets it, and a cut-off without one is refused at import. Rows written before this say so, to be corrected by the
-- next catalogue import; their dossiers keep the rules pinned at receipt.
ALTER TABLE procedures ADD COLUMN receipt_cutoff_source text;
UPDATE procedures SET receipt_cutoff_source = 'Chưa ghi căn cứ (giờ tiếp nhận cuối nhập trước khi bắt buộc ghi căn cứ): cần cập nhật danh mục'
WHERE receipt_cutoff IS NOT NULL;
