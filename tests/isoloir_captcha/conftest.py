# The CAPTCHA's tests go through the code de vote's page, the first form that shows it;
# the directory is not "captcha", which would shadow the library for import sorting.
from tests.votecode.conftest import code_actuel, connecte, electeur

__all__ = ["code_actuel", "connecte", "electeur"]
