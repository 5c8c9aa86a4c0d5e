-- every load accounts for each file it saw: seen = loaded + unchanged + duplicate + rejected.
select load_id, files_seen, files_loaded, files_unchanged, files_duplicate, files_rejected
from loads
where files_seen
    <> files_loaded + files_unchanged + files_duplicate + files_rejected
   or least(files_loaded, files_unchanged, files_duplicate, files_rejected) < 0
