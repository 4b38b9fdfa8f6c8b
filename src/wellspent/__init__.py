"""wellspent: is this preventative programme worth paying for?

Green Book cost-benefit appraisal of UK public-service programmes on a sourced unit cost library.
The public surface is small; everything else is internal and may change between minor versions.
"""

from wellspent.errors import InputError, Problem

__all__ = ["InputError", "Problem", "__version__"]
__version__ = "0.1.0"
