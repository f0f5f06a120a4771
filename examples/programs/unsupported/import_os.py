# Outside the subset: modules other than math, time and sys.
import math
import os
print(os.getcwd())
