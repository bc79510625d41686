-- Issue 28 item 7: staff find a dossier by the applicant's name (typed with or without tones) or phone. The projection
-- writes the folded forms (src/dossiers/search-text.ts) beside the dossier; this backfills the rows already there
-- with the same folding, written out letter by letter so that it does not depend on the server's locale.
ALTER TABLE dossiers ADD COLUMN applicant_text text NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN applicant_phones text NOT NULL DEFAULT '';

-- The national form of a phone's digits, as phoneDigits() writes it: +84 or a leading 84 before 9 digits → 0.
CREATE FUNCTION phone_digits_055(p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN p IS NULL THEN NULL
              WHEN btrim(p) LIKE '+84%' OR regexp_replace(p, '\D', '', 'g') ~ '^84\d{9}$' THEN '0' || substr(regexp_replace(p, '\D', '', 'g'), 3)
              ELSE regexp_replace(p, '\D', '', 'g') END
$$;

UPDATE dossiers SET
  applicant_text = btrim(regexp_replace(lower(translate(state::json->'applicant'->>'name',
    'ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ',
    'aaaaeeeiioooouuyaaaaeeeiioooouuyaaddiiuuoouuaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy')), '\s+', ' ', 'g')),
  applicant_phones = coalesce((
    SELECT string_agg(DISTINCT x, ' ' ORDER BY x) FROM (
      SELECT phone_digits_055(state::json->'applicant'->>'phone') AS x
      UNION ALL
      SELECT phone_digits_055(c->>'phone') FROM json_array_elements(coalesce(state::json->'consent'->'contacts', '[]'::json)) AS c
        WHERE c->>'channel' <> 'email'
    ) AS phones WHERE x IS NOT NULL), '');

DROP FUNCTION phone_digits_055(text);
