from tests.conftest import *  # noqa
