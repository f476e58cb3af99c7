/* ctest `paththermo-c-abi`: the CMake-built libpaththermo_c.so through include/paththermo.h, as a C caller uses it.
 * pt_ou on B = [[-1, 2], [-2, -1]], D = I gives sigma = 2 omega^2 / gamma = 8 (docs/theory/ou-exact.md); a
 * non-square drift gives PT_ERROR_INVALID_ARGUMENT or PT_ERROR_LIBRARY with a one-line message, never a crash. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "paththermo.h"

int main(void) {
    double b[4] = {-1, 2, -2, -1}, d[4] = {1, 0, 0, 1}, scalars[5];
    char message[256];
    int32_t status = pt_ou(b, PT_FLOAT64, 2, 2, 2, 1, d, PT_FLOAT64, 2, 2, 2, 1,
                           NULL, NULL, NULL, NULL, NULL, scalars, message, sizeof message);
    if (status != PT_OK || fabs(scalars[0] - 8) > 1e-9) {
        fprintf(stderr, "pt_ou: status %d, sigma %.17g (expected 8): %s\n", status, scalars[0], message);
        return 1;
    }
    double sigma = scalars[0];
    status = pt_ou(b, PT_FLOAT64, 1, 2, 2, 1, d, PT_FLOAT64, 2, 2, 2, 1,
                   NULL, NULL, NULL, NULL, NULL, scalars, message, sizeof message);
    if (status == PT_OK || strlen(message) == 0 || strchr(message, '\n') != NULL) {
        fprintf(stderr, "pt_ou on a 1 x 2 drift: status %d, message '%s'\n", status, message);
        return 1;
    }
    printf("pt_ou: sigma = %.12g; 1 x 2 drift: %s\n", sigma, message);
    return 0;
}
