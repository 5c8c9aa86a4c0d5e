"""Adopt a warehouse restored from a backup that followed its links, or refuse it unmoved.

`cp -rL`, `zip -r` and `aws s3 sync` copy what the links point at: `current`, the table links
(`articles`, ..., `_state`) and an older warehouse's `previous` come back as directories, copies
of snapshots that `_snapshots/` holds too. Such a copy is adopted: `current`'s directory becomes
its snapshot (named by the last load in its ledger, as every snapshot is), the copies of it are
set aside and the links made again. Anything that does not match is refused before a file moves.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from newsetl.settings import (
    DATA_TABLES,
    LOADS_FILE,
    MANIFEST_FILE,
    REJECTS_FILE,
    STATE_DIR,
)
from newsetl.store.snapshot import (
    ADOPTED_SNAPSHOT,
    CURRENT_LINK,
    LINKED_DIRS,
    PREVIOUS_LINK,
    SNAPSHOTS_DIR,
    commit_snapshot,
    release_snapshots,
    snapshot_dir,
    snapshot_names,
)
from newsetl.store.state import read_loads
from newsetl.store.write import replace_atomically

HOW_TO_RESTORE = (
    "Nothing was moved. Restore the whole warehouse folder from one backup, taken while no load "
    "ran, with its links kept (cp -a, tar, rsync -aH, zip -ry), or as it was copied with them "
    "followed (cp -rL, zip -r, aws s3 sync): newsetl adopts that. See docs/operations.md"
)


# Written once the checks passed and before the first move: a run that dies midway is finished
# by the next one (the snapshot it was adopting, by id).
ADOPTING_FILE = ".adopting"


class RestoredCopyError(RuntimeError):
    """A warehouse whose links were replaced by directories that cannot be adopted safely."""


def needs_adoption(warehouse_dir: Path) -> bool:
    """Whether the warehouse has a directory where newsetl keeps a link (`current`, a table,
    `previous`), snapshots without a `current` link, or a `current` link naming no usable
    snapshot: a restored copy to adopt (or to refuse, adopt_restored_copy)."""
    if (warehouse_dir / ADOPTING_FILE).is_file() or _orphan_snapshots(warehouse_dir):
        return True
    try:  # a `current` link naming no snapshot: adopt_restored_copy refuses it
        check_current_link(warehouse_dir)
    except RestoredCopyError:
        return True
    entries = [warehouse_dir / name for name in (CURRENT_LINK, PREVIOUS_LINK)]
    entries += [warehouse_dir / name for name in LINKED_DIRS]
    if any(path.is_dir() and not path.is_symlink() for path in entries):
        current = warehouse_dir / CURRENT_LINK
        return current.exists() or current.is_symlink()  # else: tables of before snapshots
    return False


def check_current_link(warehouse_dir: Path) -> None:
    """Refuse (RestoredCopyError) a `current` link that names no usable snapshot: one missing
    (a partial restore, a link typed by hand), outside `_snapshots/`, or without its tables.
    Taken for a new warehouse, it made the next load read every file as new, reset the ledger
    and let retention delete the snapshot it should have named: nothing may run on it."""
    current = warehouse_dir / CURRENT_LINK
    if not current.is_symlink():
        return
    target = os.readlink(current)
    root = (warehouse_dir / SNAPSHOTS_DIR).resolve()
    try:
        resolved: Path | None = current.resolve()
    except (OSError, RuntimeError):  # a loop of links
        resolved, problem = None, "which is a loop of links"
    if resolved is None:
        pass
    elif not resolved.is_dir():
        problem = "which does not exist"
    elif resolved.parent != root or resolved.name.startswith("."):
        problem = f"which is not a snapshot in {SNAPSHOTS_DIR}/"
    else:
        # every commit writes all of these: without the manifest every file would load as new,
        # without the ledger the history would be lost
        missing = [name for name in (*DATA_TABLES, STATE_DIR) if not (resolved / name).is_dir()]
        missing += [
            f"{STATE_DIR}/{name}"
            for name in (MANIFEST_FILE, LOADS_FILE, REJECTS_FILE)
            if STATE_DIR not in missing and not (resolved / STATE_DIR / name).is_file()
        ]
        if not missing:
            return
        problem = f"a snapshot missing its {', '.join(missing)}"
    names = [name for name in snapshot_names(warehouse_dir) if root / name != resolved]
    shown = ", ".join(names[-5:]) + (f" and {len(names) - 5} older" if len(names) > 5 else "")
    found = f"snapshots here: {shown}" if names else f"no other snapshot in {SNAPSHOTS_DIR}/"
    raise RestoredCopyError(
        f"{current} links to {target}, {problem}: the warehouse was restored in part, or the "
        f"link was set by hand. Nothing was written or pruned ({found}). Link `current` to the "
        f"snapshot news.duckdb read (ln -sfn {SNAPSHOTS_DIR}/<id> {current}), usually the "
        f"newest, or restore the whole warehouse folder from one backup"
    )


def adopt_restored_copy(warehouse_dir: Path) -> str | None:
    """Make a copy restored with its links followed a working warehouse again; returns the id
    of its current snapshot, or None when there was nothing to adopt. Call with the writer lock.

    RestoredCopyError (before anything is moved) when it cannot be adopted safely: `current`
    missing while snapshots exist, a `current` link naming no usable snapshot
    (check_current_link), or a copy that differs from the state it copies.
    """
    check_current_link(warehouse_dir)
    if not needs_adoption(warehouse_dir):
        return None
    current, journal = warehouse_dir / CURRENT_LINK, warehouse_dir / ADOPTING_FILE
    state: Path
    if journal.is_file() and not current.exists() and not current.is_symlink():
        name = journal.read_text().strip()  # an adoption that died after moving `current`
        state = snapshot_dir(warehouse_dir, name)
    elif not current.exists() and not current.is_symlink():
        names = ", ".join(_orphan_snapshots(warehouse_dir))
        raise RestoredCopyError(
            f"{warehouse_dir} has snapshots ({names}) but no `current` link naming the "
            f"committed one: the backup left links out (aws s3 sync --no-follow-symlinks?). "
            f"Restore `current` too, or link it by hand (ln -s {SNAPSHOTS_DIR}/<id> "
            f"{current}) to the snapshot news.duckdb read. {HOW_TO_RESTORE}"
        )
    elif current.is_symlink():
        state = current.resolve()
        name = state.name
    else:
        state, name = current, _snapshot_name(current)
    target = snapshot_dir(warehouse_dir, name)
    copies = [warehouse_dir / table for table in LINKED_DIRS]
    copies = [path for path in copies if path.is_dir() and not path.is_symlink()]
    for copy in copies:
        if not _same_tree(copy, state / copy.name):
            raise RestoredCopyError(
                f"{copy} is a directory whose files differ from {state / copy.name}: the "
                f"warehouse was restored in parts or from copies taken at different times. "
                f"{HOW_TO_RESTORE}"
            )
    twin = state is current and target.is_dir()
    if twin and not _same_tree(current, target):
        raise RestoredCopyError(
            f"{current} and {target} are both directories and their files differ: the backup "
            f"was taken while a load committed. {HOW_TO_RESTORE}"
        )
    previous = warehouse_dir / PREVIOUS_LINK
    older = previous.is_dir() and not previous.is_symlink()
    # Checked: now the moves, each a rename; the copies set aside are deleted at the end.
    replace_atomically(journal, lambda temporary: temporary.write_text(name + "\n"))
    aside = warehouse_dir / SNAPSHOTS_DIR
    aside.mkdir(exist_ok=True)
    if state is current:
        os.replace(current, aside / f".{name}.restored" if twin else target)
    for copy in copies:
        os.replace(copy, aside / f".{copy.name}.restored")
    if older:
        kept = snapshot_dir(warehouse_dir, _snapshot_name(previous))
        os.replace(previous, kept if not kept.exists() else aside / ".previous.restored")
        release_snapshots(warehouse_dir, [kept.name])
    commit_snapshot(warehouse_dir, target)
    for leftover in aside.glob(".*.restored"):
        shutil.rmtree(leftover, ignore_errors=True)
    journal.unlink()
    return name


def _snapshot_name(state: Path) -> str:
    """A snapshot's id: the load that wrote it, the last in its ledger."""
    loads = read_loads(state / STATE_DIR)
    return max(loads, key=lambda load: load.started_at).load_id if loads else ADOPTED_SNAPSHOT


def _orphan_snapshots(warehouse_dir: Path) -> list[str]:
    """Snapshot directories when there is no `current` at all (a backup that skipped links)."""
    current = warehouse_dir / CURRENT_LINK
    if current.exists() or current.is_symlink():
        return []
    return snapshot_names(warehouse_dir)


def _same_tree(first: Path, second: Path) -> bool:
    """Both directories hold the same files (relative paths and sizes; a restore keeps both)."""

    def files(root: Path) -> dict[str, int]:
        return {
            path.relative_to(root).as_posix(): path.stat().st_size
            for path in root.rglob("*")
            if path.is_file()
        }

    return second.is_dir() and files(first) == files(second)
