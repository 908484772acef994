from django.core.management.base import BaseCommand

from exports.housekeeping import sweep


class Command(BaseCommand):
    help = (
        "Export housekeeping (the same as the scheduled sweep): fail exports whose "
        "worker died, enqueue again those Redis lost, delete expired files."
    )

    def handle(self, *args, **options):
        counts = sweep()
        self.stdout.write(
            "failed: {failed}, requeued: {requeued}, expired files: {expired}".format(
                **counts
            )
        )
