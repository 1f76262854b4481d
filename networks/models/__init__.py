"""The portal's models, one module per concept."""

from .catalogue import AtecoMapping, EconomicArea, StudyProgramme
from .organisations import Offering, Organisation

__all__ = ["AtecoMapping", "EconomicArea", "Offering", "Organisation", "StudyProgramme"]
