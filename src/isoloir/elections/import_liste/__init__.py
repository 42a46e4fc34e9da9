"""Import of a campagne's electoral roll (liste électorale) from a CSV file.

An import is a row (:class:`~isoloir.elections.models.ImportListe`) that goes through
these steps, each run by a background worker (``elections/tasks.py``) or, for the command
line, in the caller's process:

1. **Deposit** (``depot.py``): the file is copied aside with its SHA-256. It holds NUMENs
   in clear, so the copy is deleted as soon as the import is applied, refused or given up.
2. **Check** (``verification.py``, the dry run): the file is read as a stream, every row
   checked (format, duplicates within the file, conflicts with the database, looked up by
   batches), and compared with the campaign's roll: voters added, changed (which fields),
   removed, unchanged, inscriptions added and removed per scrutin. Nothing is written to
   the roll. A fingerprint of the roll is taken first.
3. **Application** (``application.py``), only of a checked file and onto the roll the
   check saw (same SHA-256, same fingerprint): by batches of rows, each committed with the
   checkpoint of the import, so that a killed worker loses one batch and its successor
   goes on from there; every inscription a row lists is marked with the import. Then the
   campaign's inscriptions the import did not mark, those of the voters the file no longer
   lists, are removed, by batches too. The end state is that of one uninterrupted run.

``en_une_fois.py`` runs them all in the caller's process (the command line, the tests);
``etats.py`` holds what the steps share: refusals, the lease's delay, the end states.

Memory stays bounded whatever the size of the file: rows are never kept; duplicates are
found through a small on-disk index, removals through one bit per voter.

Two imports of a campaign never run at once: the database refuses a second active one.
A scrutin sealed by its bureau refuses any change to its roll (``ListeScellee``).

The NUMEN is hashed as soon as it is read: it never reaches an error, the report or the
journal. A cell is quoted in an error only when it cannot be a NUMEN (see
``lecture._citer``).

The package has no API of its own: callers import each name from the module of its step,
which defines it (``en_une_fois.importer_liste_electorale``, ``etats.ImportRefuse``,
``lecture.COLONNES``…), so that a test patches a setting where it is read.
"""
