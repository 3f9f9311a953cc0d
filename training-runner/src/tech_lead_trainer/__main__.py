import sys

from tech_lead_trainer.cli import main

sys.exit(main(argv=sys.argv[1:]))
