-- every load accounts for each file it saw: seen = loaded + unchanged + duplicate + rejected.
-- on failure: the ledger of these loads does not add up, a newsetl bug (no raw file can cause
-- it): report it with these rows. The data tables are not affected.
select load_id, files_seen, files_loaded, files_unchanged, files_duplicate, files_rejected
from loads
where files_seen
    <> files_loaded + files_unchanged + files_duplicate + files_rejected
   or least(files_loaded, files_unchanged, files_duplicate, files_rejected) < 0
