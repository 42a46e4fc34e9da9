# The booth's scrutin (three lists, a development key) and its voter serve here too.
from tests.booth.conftest import campagne, electeur, scrutin  # noqa: F401
