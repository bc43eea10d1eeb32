/* rxgen's C output includes <roken.h> (Heimdal's portability layer) for the C library only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
