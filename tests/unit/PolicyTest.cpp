// Placement policies on hand-built snapshots, power-management decisions, allocation strategies and scenario edits.
#include <gtest/gtest.h>
