// CLAPACK: the C shim over OpenBLAS (CBLAS), LAPACKE and SuiteSparse UMFPACK (sparse LU).
//
// Only a shim. LAPACKE spells its integer type as the macro `lapack_int`, which Swift's
// importer cannot see; the typedef below gives it a name. Everything else is the
// libraries' own API, called directly from Swift.
#ifndef PATHTHERMO_CLAPACK_SHIM_H
#define PATHTHERMO_CLAPACK_SHIM_H

#include <cblas.h>
#include <lapacke.h>
// SuiteSparse (Debian libsuitesparse-dev): umfpack.h includes its siblings with quotes, so the directory prefix
// suffices without an extra -I.
#include <suitesparse/umfpack.h>

/// The integer type of every LAPACKE size, leading dimension, pivot and `info` value.
typedef lapack_int pt_lapack_int;

/// LAPACKE's selector callback type for `LAPACKE_dgees` (`LAPACK_D_SELECT2` is a macro).
typedef lapack_logical (*pt_dselect2)(const double *, const double *);

#endif
