/* SPDX-License-Identifier: MIT */
/* The umbrella header of libcmr: the version and every public module. */
#ifndef CMR_CMR_H
#define CMR_CMR_H

#include <cmr/version.h>
#include <cmr/status.h>
#include <cmr/ctx.h>
#include <cmr/store.h>
#include <cmr/import.h>
#include <cmr/ledger.h>
#include <cmr/synth.h>
#include <cmr/forecast.h>
#include <cmr/evaluate.h>
#include <cmr/indicators.h>
#include <cmr/render.h>
#include <cmr/report.h>

#endif
