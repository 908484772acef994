"""Move the private files of this machine's disk into the bucket.

Run once when an installation grows past one machine (docs/operations.md,
"Files on several machines"), with the environment already naming the bucket.
Files keep their names: the bucket has the same layout as PRIVATE_FILES_ROOT
(forms_app.files.FOLDERS), so what the database refers to is found again.

Safe to stop and run again: a file already in the bucket with the same size is
left alone, one of another size (a copy cut short) is copied again, and every
copy is checked by its size in the bucket before it counts, or before the local
file is deleted (--delete-local).
"""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from forms_app.files import FOLDERS, local_dir

COUNTS = (
    ("copied", "copied"),
    ("present", "already in the bucket"),
    ("replaced", "copied again (size differed)"),
    ("deleted", "local files deleted"),
    ("failed", "failed"),
)


class Command(BaseCommand):
    help = (
        "Copy the private files (uploads, drafts' uploads, exports) from this "
        "machine's PRIVATE_FILES_ROOT into the bucket the environment names, "
        "under the same names; checks each copy's size; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="the folder to move from (default: PRIVATE_FILES_ROOT)",
        )
        parser.add_argument(
            "--delete-local",
            action="store_true",
            help="delete each local file once its copy in the bucket is checked",
        )

    def handle(self, *args, source=None, delete_local=False, **options):
        self.verbosity = options["verbosity"]
        source = Path(source or settings.MEDIA_ROOT)
        if not source.is_dir():
            raise CommandError(f"{source} is not a folder.")
        targets = {alias: storages[alias] for alias in FOLDERS}
        on_disk = [alias for alias, storage in targets.items() if local_dir(storage)]
        if on_disk:
            raise CommandError(
                f"STORAGES[{on_disk[0]!r}] is this machine's disk: name the bucket "
                "(S3_BUCKET, its endpoint and credentials) in the environment "
                "first. See docs/operations.md."
            )
        self.counts = {name: 0 for name, _label in COUNTS}
        for path in self.files(source):
            alias, name = self.destination(path.relative_to(source))
            try:
                self.move(path, targets[alias], name, delete_local)
            except Exception as error:  # reported, and the others go on
                self.counts["failed"] += 1
                self.stderr.write(f"{path}: {error}")
        summary = ", ".join(f"{label}: {self.counts[name]}" for name, label in COUNTS)
        if self.counts["failed"]:
            raise CommandError(f"{summary}. Run the command again to retry.")
        self.stdout.write(summary)

    def files(self, source):
        static = Path(settings.STATIC_ROOT).resolve()
        for path in sorted(source.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            if path.resolve().is_relative_to(static):
                continue
            # A run's temporary file (exports/.N-token.part): never a file
            # anyone refers to.
            if path.name.startswith("."):
                continue
            yield path

    def destination(self, relative):
        """The storage alias and name `relative` (to the source) belongs to."""
        first = relative.parts[0]
        for alias, folder in FOLDERS.items():
            if folder and first == folder and len(relative.parts) > 1:
                return alias, relative.relative_to(folder).as_posix()
        return "default", relative.as_posix()

    def move(self, path, storage, name, delete_local):
        size = path.stat().st_size
        if storage.exists(name) and storage.size(name) == size:
            self.counts["present"] += 1
            self.log(f"present  {name}")
        else:
            replacing = storage.exists(name)
            if replacing:
                # Removed first: the storage never overwrites a name in use.
                storage.delete(name)
            with path.open("rb") as handle:
                saved = storage.save(name, File(handle, name=path.name))
            stored = storage.size(saved)
            if saved != name or stored != size:
                storage.delete(saved)
                raise OSError(f"the bucket holds {stored} bytes of {size} as {saved}")
            self.counts["replaced" if replacing else "copied"] += 1
            self.log(f"{'replaced' if replacing else 'copied'}  {name}")
        if delete_local:
            path.unlink()
            self.counts["deleted"] += 1

    def log(self, line):
        if self.verbosity > 1:
            self.stdout.write(line)
