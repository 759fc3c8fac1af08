"""Make an Ed25519 key for the transparency log (or for a witness): the C2SP signed-note key lines."""

from django.core.management.base import BaseCommand, CommandError

from registry.eventstore import checkpoints, note


class Command(BaseCommand):
    help = ("Make a signing key for the log's checkpoints (or, with --witness, a cosigning key for a copy that "
            "witnesses another log). Prints the secret key line (or writes it to --out, mode 0600) and, last, the "
            "verifier key line to publish. Put the secret in PACTA_LOG_SIGNING_KEY, or its file in "
            "PACTA_LOG_SIGNING_KEY_FILE (PACTA_WITNESS_SIGNING_KEY[_FILE] for a witness); never in the repository.")

    def add_arguments(self, parser):
        parser.add_argument("--name", help="the key name: the log's origin (default PACTA_LOG_ORIGIN or "
                                           f"{checkpoints.DEFAULT_ORIGIN}), or the witness's name")
        parser.add_argument("--witness", action="store_true", help="a cosignature/v1 key (type 0x04) for a witness")
        parser.add_argument("--out", help="write the secret key line to this file (refused if it exists)")

    def handle(self, *args, name, witness, out, **options):
        from django.conf import settings

        name = name or (settings.PACTA_LOG_ORIGIN or checkpoints.DEFAULT_ORIGIN)
        try:
            signer = note.Signer.generate(name, note.COSIGNATURE_V1 if witness else note.ED25519)
        except note.NoteError as exc:
            raise CommandError(f"--name: {exc}") from None
        if out:
            if not checkpoints.write_key_file(out, signer):
                raise CommandError(f"--out: {out} exists; not overwritten")
            self.stderr.write(f"wrote the secret key to {out}")
        else:
            self.stdout.write(signer.line())
        self.stdout.write(signer.verifier().line())
