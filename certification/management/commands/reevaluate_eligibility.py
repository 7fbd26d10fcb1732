from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from tqdm import tqdm

from certification.registry.automation import Reevaluation, act_on_eligibility, reevaluate_everyone


class Command(BaseCommand):
    help = (
        "Evaluate certification eligibility again for every teacher (or one), issuing or queueing what is earned; "
        "teachers are read by chunks, with a progress bar."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", help="Only this teacher.")
        parser.add_argument("--chunk-size", type=int, default=2000, help="Teachers read per query (default 2000).")
        parser.add_argument("--dry-run", action="store_true", help="Only count: issue and queue nothing.")

    def handle(self, *args, email=None, chunk_size=2000, dry_run=False, **options):
        if email:
            actions = act_on_eligibility(get_user_model().objects.get(email=email))
            self.stdout.write(", ".join(actions) or "nothing new")
            return
        total = Reevaluation()
        users = get_user_model().objects.filter(is_active=True).count()
        with tqdm(total=users, desc="teachers", unit="teacher", file=self.stderr._out) as progress:
            for chunk in reevaluate_everyone(chunk_size, act=not dry_run):
                total.add(chunk)
                progress.update(chunk.teachers)
        done = "nothing issued or queued (dry run)"
        if not dry_run:
            done = f"{total.issued} certificates issued, {total.queued} queued"
        self.stdout.write(
            f"{total.teachers} teachers evaluated: {total.eligible} eligible for a certificate they do not hold; "
            f"{done}."
        )
