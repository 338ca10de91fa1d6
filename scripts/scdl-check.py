"""Validates an SCDL "subventions" 2.1.1 CSV against its Frictionless Table Schema, and runs the
schema's custom checks (validata's, which frictionless does not know):
  french-siret-value on idAttribuant and idBeneficiaire (14 digits, Luhn on the SIREN and on the
  SIRET; La Poste excepted for the SIRET),
  one-of-required on idBeneficiaire / rnaBeneficiaire.
Usage: python scdl-check.py SCHEMA.json FILE.csv   (paths relative to the working directory)
Exits 1 on any error, printing each."""
import csv
import sys

from frictionless import Resource, Schema

LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return total % 10 == 0


def siret_ok(value: str) -> bool:
    if len(value) != 14 or not value.isdigit():
        return False
    if not luhn_ok(value[:9]):
        return False  # the SIREN carries its own check digit
    return luhn_ok(value) or (value.startswith(LA_POSTE_SIREN) and sum(map(int, value)) % 5 == 0)


def main(schema_path: str, csv_path: str) -> int:
    errors = []
    report = Resource(path=csv_path, schema=Schema(schema_path)).validate()
    for task in report.tasks:
        for error in task.errors:
            errors.append(f"frictionless: {error.type}: {error.message}")
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for line, row in enumerate(rows, start=2):
        for column in ("idAttribuant", "idBeneficiaire"):
            value = row.get(column, "")
            if value and not siret_ok(value):
                errors.append(f"line {line}: {column} {value!r} is not a valid SIRET")
        if not row.get("idBeneficiaire") and not row.get("rnaBeneficiaire"):
            errors.append(f"line {line}: one of idBeneficiaire, rnaBeneficiaire is required")
    if not rows:
        errors.append("the file has no grant: nothing was checked")
    for e in errors:
        print(e)
    print(f"{len(rows)} rows checked, {len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
