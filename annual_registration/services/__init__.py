"""Every write of annual registration. Views, the API, the admin and commands call only these."""

from annual_registration.services.fees import FeeImportResult, fee_import, parse_fees
from annual_registration.services.lists import ANNUAL, KIND, annual_list_problems, parse_annual_list
from annual_registration.services.roll import annual_roll_open

__all__ = [
    "ANNUAL",
    "KIND",
    "FeeImportResult",
    "annual_list_problems",
    "annual_roll_open",
    "fee_import",
    "parse_annual_list",
    "parse_fees",
]
