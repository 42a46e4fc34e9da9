"""Import of a campagne's electoral roll (liste électorale) from a CSV file.

The file is read twice, as a stream. The first pass checks every row: its format, the
duplicates within the file and the conflicts with the database, looked up by batches. If a
single row is wrong, the import ends after this pass with the list of errors. The second
pass, in the same transaction, computes and applies the changes batch by batch. Keeping the
rows between the passes would cost memory in proportion to the roll (1.4 million voters
nationally); reading the file again costs only time.

The NUMEN is hashed as soon as it is read: it never reaches an error, the report or the
journal. A cell is quoted in an error only when it cannot be a NUMEN (see :func:`_citer`).
"""

from isoloir.elections.roll_import.lecture import COLONNES
from isoloir.elections.roll_import.rapport import ErreurImport, RapportImport
from isoloir.elections.roll_import.service import importer_liste_electorale

__all__ = ["COLONNES", "ErreurImport", "RapportImport", "importer_liste_electorale"]
