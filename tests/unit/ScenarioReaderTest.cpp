// Scenario parsing and validation: defaults, and one clear error (file + JSON pointer) per mistake.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "TestFiles.hpp"
#include "TestScenarios.hpp"
#include "io/JsonReader.hpp"
#include "load/Load.hpp"
#include "model/Error.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Validate.hpp"

using nlohmann::json;
using suanli::model::UserError;
using suanli::model::UserErrors;
namespace io = suanli::io;
namespace model = suanli::model;

namespace {

/// The first error message (file: pointer: text) produced by reading + validating `doc`.
std::string first_error(const json& doc) {
  try {
    suanli::test::scenario_from(doc);
  } catch (const UserErrors& e) {
    return e.errors().front().what();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

using suanli::test::write_temp;

}  // namespace

TEST(ScenarioReader, MinimalDocumentGetsDocumentedDefaults) {
  const auto s = suanli::test::scenario_from(suanli::test::minimal_doc());
  EXPECT_EQ(s.name, "mini");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_DOUBLE_EQ(s.horizon_s, 86400.0);
  EXPECT_EQ(s.output_directory(), "out/mini");
  EXPECT_DOUBLE_EQ(s.latency_targets.intra_city_s, 1e-3);
  EXPECT_DOUBLE_EQ(s.latency_targets.inter_central_city_s, 5e-3);
  EXPECT_EQ(s.latency_targets.mode, model::LatencyMode::kOneWay);
  EXPECT_EQ(s.platform.host_granularity, model::HostGranularity::kRack);
  EXPECT_EQ(s.cities[2].role, model::CityRole::kRegional);
  EXPECT_DOUBLE_EQ(s.sites[0].cooling.air_share, 1.0);
  EXPECT_DOUBLE_EQ(s.sites[0].uplink_bps, 4e11);
  EXPECT_DOUBLE_EQ(s.network.intercity_bandwidth_bps, 4e12);
  ASSERT_EQ(s.node_types[0].pstates.size(), 2u);
}

TEST(ScenarioReader, ServersPerRackDefaultsFromPower) {
  auto doc = suanli::test::minimal_doc();
  doc["node_types"][0].erase("servers_per_rack");
  EXPECT_EQ(suanli::test::scenario_from(doc).node_types[0].effective_servers_per_rack(), 10);  // 2500 / 250
  doc["node_types"][0]["pstates"][0]["max_w"] = 10200;
  doc["node_types"][0]["pstates"][1]["max_w"] = 9000;
  doc["sites"][0]["racks"] = 100;  // 10 servers x 4.08 standard racks
  doc["sites"][1]["racks"] = 4000;
  doc["sites"][2]["kind"] = "core_cluster";
  doc["sites"][2]["racks"] = 1000;
  EXPECT_EQ(suanli::test::scenario_from(doc).node_types[0].effective_servers_per_rack(), 1);
}

TEST(ScenarioReader, BadJsonNamesLineAndColumn) {
  const auto path = write_temp("bad.json", "{\n  \"format_version\": 1,\n  \"name\": \"x\",,\n}\n");
  try {
    suanli::load::load_scenario(path);
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(e.file(), path);
    EXPECT_EQ(e.location(), "line 3, column 15");
    EXPECT_NE(e.message().find("invalid JSON"), std::string::npos);
  }
}

TEST(ScenarioReader, StringWhereNumberBelongs) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][1]["racks"] = "many";
  EXPECT_EQ(first_error(doc), "test.json: /sites/1/racks: expected an integer, got a string \"many\"");
}

TEST(ScenarioReader, UnknownSiteKindListsValidOnes) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][0]["kind"] = "mega_dc";
  EXPECT_EQ(first_error(doc),
            "test.json: /sites/0/kind: expected one of core_cluster, gpu_center, supercomputing_center, "
            "edge_dc, got "
            "a string \"mega_dc\"");
}

TEST(ScenarioReader, LinkToMissingCity) {
  auto doc = suanli::test::minimal_doc();
  doc["links"][1]["to"] = "Atlantis";
  EXPECT_EQ(first_error(doc), "test.json: /links/1/to: unknown city or site \"Atlantis\"");
}

TEST(ScenarioReader, NegativeRackCount) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][2]["racks"] = -5;
  EXPECT_EQ(first_error(doc), "test.json: /sites/2/racks: expected a non-negative number of racks, got -5");
}

TEST(ScenarioReader, UnknownFieldIsAnErrorListingValidNames) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][0]["rack_count"] = 3;
  const auto err = first_error(doc);
  EXPECT_EQ(
      err.rfind("test.json: /sites/0/rack_count: unknown field \"rack_count\" (valid: name, name_zh, kind,",
                0),
      0u)
      << err;
}

TEST(ScenarioReader, LenientModeTurnsUnknownFieldsIntoWarnings) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][0]["rack_count"] = 3;
  doc["colour"] = "red";
  std::vector<std::string> warnings;
  const auto s = model::scenario_from_json(doc, "test.json", true, &warnings);
  EXPECT_EQ(s.sites.size(), 3u);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("/colour"), std::string::npos);
  EXPECT_NE(warnings[1].find("/sites/0/rack_count"), std::string::npos);
}

TEST(ScenarioReader, MissingRequiredField) {
  auto doc = suanli::test::minimal_doc();
  doc["cities"][1].erase("lat_deg");
  EXPECT_EQ(first_error(doc), "test.json: /cities/1/lat_deg: required field is missing");
  doc = suanli::test::minimal_doc();
  doc.erase("sites");
  EXPECT_EQ(first_error(doc), "test.json: /sites: required field is missing");
}

TEST(ScenarioReader, IntegralFloatsAreIntegersButFractionsAreNot) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][0]["racks"] = 200.0;
  EXPECT_EQ(suanli::test::scenario_from(doc).sites[0].racks, 200);
  doc["sites"][0]["racks"] = 200.5;
  EXPECT_EQ(first_error(doc), "test.json: /sites/0/racks: expected an integer, got 200.5");
}

TEST(ScenarioReader, FormatVersionMustBeOne) {
  auto doc = suanli::test::minimal_doc();
  doc["format_version"] = 2;
  EXPECT_EQ(first_error(doc), "test.json: /format_version: this suanli reads format_version 1, got 2");
}

TEST(ScenarioReader, EitherCoolingShareImpliesTheOther) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][0]["cooling"] = {{"air_share", 0.7}};
  auto s = suanli::test::scenario_from(doc);
  EXPECT_NEAR(s.sites[0].cooling.liquid_share, 0.3, 1e-12);
  doc["sites"][0]["cooling"] = {{"liquid_share", 0.25}};
  s = suanli::test::scenario_from(doc);
  EXPECT_NEAR(s.sites[0].cooling.air_share, 0.75, 1e-12);
}

TEST(ScenarioValidation, SharesMustSumToOne) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][1]["cooling"] = {{"air_share", 0.7}, {"liquid_share", 0.2}};
  EXPECT_EQ(first_error(doc),
            "test.json: /sites/1/cooling: air_share + liquid_share must be 1, got 0.7 + 0.2");
}

TEST(ScenarioValidation, DuplicateNamesAcrossCitiesAndSites) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][1]["name"] = "B";
  EXPECT_EQ(first_error(doc), "test.json: /sites/1/name: duplicate name \"B\" (already used at /cities/1)");
}

TEST(ScenarioValidation, SiteNamesAnUnknownCity) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][0]["city"] = "Z";
  EXPECT_EQ(first_error(doc), "test.json: /sites/0/city: unknown city \"Z\" (cities are listed in /cities)");
}

TEST(ScenarioValidation, UnknownNodeTypeListsValidOnes) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][0]["nodes"][0]["type"] = "gpu";
  EXPECT_EQ(first_error(doc), "test.json: /sites/0/nodes/0/type: unknown node type \"gpu\" (valid: cpu)");
}

TEST(ScenarioValidation, EdgeDcsHaveAtMostOneHundredRacks) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][2]["racks"] = 101;
  EXPECT_EQ(first_error(doc).rfind(
                "test.json: /sites/2/racks: an edge_dc has at most 100 standard racks, got 101", 0),
            0u);
}

TEST(ScenarioValidation, InstalledServersMustFitTheRacks) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][2]["nodes"][0]["count"] = 101;  // 101 x 250 W = 10.1 standard racks > 10
  EXPECT_EQ(first_error(doc),
            "test.json: /sites/2/nodes: installed servers need 11 standard racks (2.5 kW each at full load) "
            "but the "
            "site has 10 racks");
  doc["sites"][2]["nodes"][0]["count"] = 100;  // exactly 10
  EXPECT_NO_THROW(suanli::test::scenario_from(doc));
}

TEST(ScenarioValidation, AbsurdSizesAreRefused) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][1]["racks"] = 50'000'000;
  EXPECT_EQ(first_error(doc), "test.json: /sites/1/racks: expected at most 10000000 racks, got 50000000");
}

TEST(ScenarioValidation, DisconnectedSiteIsReported) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][2]["attach_to_city"] = false;
  EXPECT_EQ(first_error(doc),
            "test.json: /sites/2: site \"b1\" has no fiber path to \"A\" (set attach_to_city or add a link)");
}

TEST(ScenarioValidation, PowerStatesAreCheckedAndOrdered) {
  auto doc = suanli::test::minimal_doc();
  doc["node_types"][0]["pstates"][1]["core_speed_flops"] = 2e9;
  EXPECT_EQ(
      first_error(doc),
      "test.json: /node_types/0/pstates/1/core_speed_flops: performance states must be listed fastest first");
  doc = suanli::test::minimal_doc();
  doc["node_types"][0]["pstates"][0]["idle_w"] = 300;
  EXPECT_EQ(first_error(doc),
            "test.json: /node_types/0/pstates/0/idle_w: idle power 300 W exceeds max_w 250 W");
}

TEST(ScenarioValidation, ServersHaveAtLeastAsManyCoresAsGpus) {
  auto doc = suanli::test::minimal_doc();
  doc["node_types"][0]["gpus"] = 16;
  doc["node_types"][0]["gpu_speed_flops"] = 1e12;
  EXPECT_EQ(
      first_error(doc).rfind("test.json: /node_types/0/gpus: a server has at least as many cores as GPUs", 0),
      0u);
}

TEST(ScenarioValidation, AllErrorsAreReportedNotJustTheFirst) {
  auto doc = suanli::test::minimal_doc();
  doc["sites"][0]["racks"] = -1;
  doc["cities"][0]["lat_deg"] = 95;
  doc["links"][0]["fiber_km"] = -3;
  try {
    suanli::test::scenario_from(doc);
    FAIL();
  } catch (const UserErrors& e) {
    EXPECT_EQ(e.errors().size(), 3u);
  }
}

TEST(ScenarioFiles, MissingFileAndDirectoryAreUserErrors) {
  EXPECT_THROW(suanli::load::load_scenario("/nonexistent/x.json"), UserError);
  try {
    suanli::load::load_scenario(std::filesystem::temp_directory_path().string());
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.message(), "is a directory, expected a file");
  }
}

TEST(ScenarioFiles, InvalidUtf8IsRefused) {
  const auto path = write_temp("latin1.json", "{\"format_version\": 1, \"name\": \"caf\xe9\"}");
  EXPECT_THROW(suanli::load::load_scenario(path), UserError);
}

TEST(ScenarioFiles, PowerCurveFileSetsIdleAndMaxFromSpecPower) {
  const std::string table =
      suanli::test::source_dir() + "/../shared/data/power/PowerModelSpecPowerIbmX3250XeonX3470.txt";
  auto doc = suanli::test::minimal_doc();
  doc["node_types"][0]["power_curve_file"] = table;
  doc["node_types"][0]["pstates"][0].erase("idle_w");
  doc["node_types"][0]["pstates"][0].erase("max_w");
  auto s = model::scenario_from_json(doc, "test.json", false, nullptr);
  suanli::load::resolve_power_curves(s);
  EXPECT_TRUE(suanli::load::validate(s).empty());
  EXPECT_DOUBLE_EQ(s.node_types[0].pstates[0].idle_w, 41.6);
  EXPECT_DOUBLE_EQ(s.node_types[0].pstates[0].max_w, 113);
  ASSERT_TRUE(s.node_types[0].power_curve_w);
  EXPECT_DOUBLE_EQ((*s.node_types[0].power_curve_w)[5], 73);
  // Given values must agree with the table; a missing table names the field.
  doc["node_types"][0]["pstates"][0]["max_w"] = 250;
  auto s2 = model::scenario_from_json(doc, "test.json", false, nullptr);
  try {
    suanli::load::resolve_power_curves(s2);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.location(), "/node_types/0/pstates/0/max_w");
  }
  doc["node_types"][0]["power_curve_file"] = "/no/such/table.txt";
  auto s3 = model::scenario_from_json(doc, "test.json", false, nullptr);
  try {
    suanli::load::resolve_power_curves(s3);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.location(), "/node_types/0/power_curve_file");
  }
  // Without a table, idle_w and max_w stay required.
  doc["node_types"][0].erase("power_curve_file");
  doc["node_types"][0]["pstates"][0]["idle_w"] = 100;
  doc["node_types"][0]["pstates"][0].erase("max_w");
  EXPECT_EQ(first_error(doc),
            "test.json: /node_types/0/pstates/0/max_w: required field is missing (or give the node "
            "type a power_curve_file)");
}

TEST(ScenarioFiles, ResolvedScenarioRoundTrips) {
  const auto s = suanli::test::scenario_from(suanli::test::minimal_doc());
  const auto again = suanli::test::scenario_from(model::scenario_to_json(s));
  EXPECT_EQ(model::scenario_to_json(again), model::scenario_to_json(s));
  EXPECT_EQ(again.sites[1].metro_fiber_km, 30.0);
}

TEST(JsonStructure, DuplicateKeyNamesTheKeyAndItsPointer) {
  try {
    io::check_json_structure(R"({"sites": [{"name": "a"}, {"name": "b", "racks": 1, "racks": 2}]})",
                             "f.json");
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(e.location(), "/sites/1/racks");
    EXPECT_NE(e.message().find("\"racks\" appears twice"), std::string::npos) << e.message();
  }
  EXPECT_NO_THROW(io::check_json_structure(R"({"a": {"x": 1}, "b": {"x": 1}})", "f.json"));  // other objects
}

TEST(JsonStructure, DepthIsLimitedWithoutRecursion) {
  const auto deep = [](std::size_t n) { return std::string(n, '[') + std::string(n, ']'); };
  EXPECT_NO_THROW(io::check_json_structure(deep(io::kMaxJsonDepth), "f.json"));
  try {
    io::check_json_structure("{\"a\": " + deep(1000000) + "}", "f.json");
    FAIL() << "expected a UserError";
  } catch (const UserError& e) {
    EXPECT_EQ(e.location().substr(0, 8), "/a/0/0/0");
    EXPECT_NE(e.message().find("nested deeper than 64"), std::string::npos);
  }
}

TEST(JsonStructure, NulByteEndsNothing) {
  EXPECT_THROW(io::parse_json_text(std::string("{}\0{\"x\": 1}", 11), "f.json"), UserError);
}

TEST(ScenarioEdits, ArrayIndexWithLeadingZeroIsRefused) {
  json doc = suanli::test::minimal_doc();
  EXPECT_THROW(model::apply_scenario_edits(doc, {{"/sites/00/racks", 5}}, "--set"), UserError);
  EXPECT_THROW(model::apply_scenario_edits(doc, {{"/sites/01/racks", 5}}, "--set"), UserError);
  model::apply_scenario_edits(doc, {{"/sites/0/racks", 5}}, "--set");
  EXPECT_EQ(doc["sites"][0]["racks"], 5);
}

TEST(Validate, NamesMustPrintInEveryOutput) {
  EXPECT_EQ(model::name_problem("fuzhou-core-dc"), "");
  EXPECT_EQ(model::name_problem("福州"), "");
  EXPECT_NE(model::name_problem(""), "");
  EXPECT_NE(model::name_problem(" \t "), "");
  EXPECT_NE(model::name_problem(std::string("a\0b", 3)), "");
  EXPECT_NE(model::name_problem("a\nb"), "");
  EXPECT_NE(model::name_problem("\x1b[31mred"), "");
  EXPECT_NE(model::name_problem(std::string(201, 'a')), "");
  EXPECT_NE(model::name_problem("a\u009b31mb"), "");  // C1 CSI
  EXPECT_EQ(model::name_problem("a\u00a0b"), "");     // no-break space is text
  auto doc = suanli::test::minimal_doc();
  doc["sites"][1]["name"] = "   ";
  EXPECT_NE(first_error(doc).find("/sites/1/name"), std::string::npos);
  doc["sites"][1]["name"] = "a2";
  doc["sites"][1]["name_zh"] = "\x1b]0;x\x07";
  EXPECT_NE(first_error(doc).find("/sites/1/name_zh"), std::string::npos);
}

TEST(Validate, HorizonSamplingAndRowsAreBounded) {
  auto doc = suanli::test::minimal_doc();
  doc["horizon_s"] = 1e300;
  EXPECT_NE(first_error(doc).find("/horizon_s"), std::string::npos);
  doc["horizon_s"] = 86400;
  doc["outputs"] = {{"sampling_interval_s", 1e-300}};
  EXPECT_NE(first_error(doc).find("/outputs/sampling_interval_s"), std::string::npos);
  // 86400 samples x the 3 sites of the minimal scenario = 259200 rows: over a limit of 259199, not 259200.
  doc["outputs"] = {{"sampling_interval_s", 1}, {"max_timeseries_rows", 259199}};
  EXPECT_NE(first_error(doc).find("259200 rows"), std::string::npos) << first_error(doc);
  doc["outputs"]["max_timeseries_rows"] = 259200;
  EXPECT_EQ(first_error(doc), "");
}

TEST(Validate, CarbonIntensityHasAPlausibleBound) {
  auto doc = suanli::test::minimal_doc();
  doc["energy"] = {{"grid", {{"carbon_kg_per_kwh", 1e300}}}};
  EXPECT_NE(first_error(doc).find("/energy/grid/carbon_kg_per_kwh"), std::string::npos);
  doc["energy"]["grid"]["carbon_kg_per_kwh"] = 1.2;
  EXPECT_EQ(first_error(doc), "");
}

TEST(UserError, QuotesAtMost200CharactersWithControlsEscaped) {
  const UserError e("f.json", "/" + std::string(100000, 'k'),
                    "unknown field " + model::quoted("a\nb\x1b[31m"));
  const std::string what = e.what();
  EXPECT_LT(what.size(), 1300u);
  EXPECT_NE(what.find("... (100001 bytes)"), std::string::npos);
  EXPECT_NE(what.find("\"a\\nb\\x1b[31m\""), std::string::npos) << what;
  EXPECT_EQ(what.find('\n'), std::string::npos);
  EXPECT_EQ(what.find('\x1b'), std::string::npos);
  EXPECT_EQ(model::printable("福州 ok", 200), "福州 ok");
  EXPECT_EQ(model::printable("\xff", 200), "\\xff");
}
