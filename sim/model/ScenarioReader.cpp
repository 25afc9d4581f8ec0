// Scenario JSON (format v1) <-> model::Scenario.
#include "model/ScenarioReader.hpp"

#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include "io/JsonReader.hpp"
#include "model/Names.hpp"
#include "model/Validate.hpp"

namespace suanli::model {

using io::check_json_structure;
using io::describe_json;
using io::json_pointer_child;
using io::JsonObject;
using io::ReadContext;

namespace {

using nlohmann::json;

City read_city(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx, {"name", "name_zh", "lat_deg", "lon_deg", "role", "weather_file"});
  City c;
  c.name = o.required_string("name");
  c.name_zh = o.optional_string("name_zh", "");
  c.lat_deg = o.required_number("lat_deg");
  c.lon_deg = o.required_number("lon_deg");
  c.role = o.optional_enum("role", CityRole::kRegional, EnumNames<CityRole>::table);
  c.weather_file = o.optional_string("weather_file", "");
  return c;
}

PState read_pstate(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx, {"core_speed_flops", "idle_w", "max_w"});
  PState p;
  p.core_speed_flops = o.required_number("core_speed_flops");
  // Absent only with a power_curve_file (resolve_power_curves fills them; validate() checks).
  p.idle_w = o.optional_number("idle_w", std::numeric_limits<double>::quiet_NaN());
  p.max_w = o.optional_number("max_w", std::numeric_limits<double>::quiet_NaN());
  return p;
}

int small_int(const JsonObject& o, std::string_view key, std::int64_t value) {
  if (value < INT32_MIN || value > INT32_MAX)
    o.fail(key, "integer out of range (" + std::to_string(value) + ")");
  return static_cast<int>(value);
}

NodeType read_node_type(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(
      v, ptr, ctx,
      {"name", "description", "cores", "pstates", "off_w", "gpus", "gpu_speed_flops", "memory_gib", "nic_bps",
       "servers_per_rack", "power_curve_file", "boot_s", "boot_w", "shutdown_s", "shutdown_w"});
  NodeType t;
  t.name = o.required_string("name");
  t.description = o.optional_string("description", "");
  t.cores = small_int(o, "cores", o.required_integer("cores"));
  const auto& ps = o.array("pstates", true);
  for (std::size_t i = 0; i < ps.size(); ++i)
    t.pstates.push_back(read_pstate(ps[i], json_pointer_child(o.path_of("pstates"), i), ctx));
  t.off_w = o.optional_number("off_w", 0.0);
  t.gpus = small_int(o, "gpus", o.optional_integer("gpus", 0));
  t.gpu_speed_flops = o.optional_number("gpu_speed_flops", 0.0);
  t.memory_gib = o.optional_number("memory_gib", 0.0);
  t.nic_bps = o.optional_number("nic_bps", t.nic_bps);
  if (auto spr = o.maybe_integer("servers_per_rack"))
    t.servers_per_rack = small_int(o, "servers_per_rack", *spr);
  t.power_curve_file = o.optional_string("power_curve_file", "");
  t.boot_s = o.optional_number("boot_s", t.boot_s);
  t.boot_w = o.maybe_number("boot_w");
  t.shutdown_s = o.optional_number("shutdown_s", t.shutdown_s);
  t.shutdown_w = o.maybe_number("shutdown_w");
  return t;
}

NodeGroup read_node_group(const json& v, const std::string& ptr, const ReadContext& ctx);

/// capacity_w, units and redundant_units of a plant object (cooling, ups).
Plant read_plant(const JsonObject& o) {
  Plant p;
  p.capacity_w = o.maybe_number("capacity_w");
  p.units = small_int(o, "units", o.optional_integer("units", 0));
  p.redundant_units =
      small_int(o, "redundant_units", o.optional_integer("redundant_units", p.units > 0 ? 1 : 0));
  return p;
}

Cooling read_cooling(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx,
               {"air_share", "liquid_share", "liquid_technology", "design_pue", "free_cooling_wet_bulb_max_c",
                "chiller_cop", "liquid_cop", "wue_l_per_kwh", "capacity_w", "units", "redundant_units"});
  Cooling c;
  // Either share may be given alone; the other is its complement.
  if (o.has("liquid_share") || !o.has("air_share")) {
    c.liquid_share = o.optional_number("liquid_share", 0.0);
    c.air_share = o.optional_number("air_share", 1.0 - c.liquid_share);
  } else {
    c.air_share = o.required_number("air_share");
    c.liquid_share = 1.0 - c.air_share;
  }
  c.liquid_technology =
      o.optional_enum("liquid_technology", LiquidTechnology::kColdPlate, EnumNames<LiquidTechnology>::table);
  c.design_pue = o.optional_number("design_pue", c.design_pue);
  c.free_cooling_wet_bulb_max_c =
      o.optional_number("free_cooling_wet_bulb_max_c", c.free_cooling_wet_bulb_max_c);
  c.chiller_cop = o.optional_number("chiller_cop", c.chiller_cop);
  c.liquid_cop = o.optional_number("liquid_cop", c.liquid_cop);
  c.wue_l_per_kwh = o.maybe_number("wue_l_per_kwh");
  c.plant = read_plant(o);
  return c;
}

Site read_site(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx,
               {"name", "name_zh", "kind", "city", "lat_deg", "lon_deg", "racks", "hub", "nodes", "cooling",
                "uplink_bps", "attach_to_city", "metro_fiber_km", "weather_file", "ups"});
  Site s;
  s.name = o.required_string("name");
  s.name_zh = o.optional_string("name_zh", "");
  s.kind = o.required_enum<SiteKind>("kind", EnumNames<SiteKind>::table);
  s.city = o.required_string("city");
  s.lat_deg = o.required_number("lat_deg");
  s.lon_deg = o.required_number("lon_deg");
  s.racks = o.required_integer("racks");
  s.hub = o.optional_bool("hub", false);
  const auto& nodes = o.array("nodes", false);
  for (std::size_t i = 0; i < nodes.size(); ++i)
    s.nodes.push_back(read_node_group(nodes[i], json_pointer_child(o.path_of("nodes"), i), ctx));
  if (const json* c = o.object("cooling")) s.cooling = read_cooling(*c, o.path_of("cooling"), ctx);
  s.uplink_bps = o.optional_number("uplink_bps", s.uplink_bps);
  s.attach_to_city = o.optional_bool("attach_to_city", true);
  s.metro_fiber_km = o.maybe_number("metro_fiber_km");
  s.weather_file = o.optional_string("weather_file", "");
  if (const json* u = o.object("ups"))
    s.ups = read_plant(JsonObject(*u, o.path_of("ups"), ctx, {"capacity_w", "units", "redundant_units"}));
  return s;
}

NodeGroup read_node_group(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject n(v, ptr, ctx, {"type", "count"});
  return NodeGroup{n.required_string("type"), n.required_integer("count")};
}

Growth read_growth(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx, {"start", "horizon_months", "demand", "additions", "max_utilization"});
  Growth g;
  g.present = true;
  g.start = o.optional_string("start", g.start);
  g.horizon_months = o.optional_integer("horizon_months", g.horizon_months);
  g.max_utilization = o.optional_number("max_utilization", g.max_utilization);
  const auto& demand = o.array("demand", false);
  for (std::size_t i = 0; i < demand.size(); ++i) {
    JsonObject d(demand[i], json_pointer_child(o.path_of("demand"), i), ctx, {"class", "per_year"});
    g.demand.push_back({d.required_string("class"), d.required_number("per_year")});
  }
  const auto& adds = o.array("additions", false);
  for (std::size_t i = 0; i < adds.size(); ++i) {
    const auto p = json_pointer_child(o.path_of("additions"), i);
    JsonObject a(adds[i], p, ctx, {"month", "site", "racks", "nodes", "opens"});
    GrowthAddition add;
    add.month = a.required_integer("month");
    add.site = a.required_string("site");
    add.racks = a.optional_integer("racks", 0);
    const auto& nodes = a.array("nodes", false);
    for (std::size_t k = 0; k < nodes.size(); ++k)
      add.nodes.push_back(read_node_group(nodes[k], json_pointer_child(a.path_of("nodes"), k), ctx));
    add.opens = a.optional_bool("opens", false);
    g.additions.push_back(std::move(add));
  }
  return g;
}

Costs read_costs(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx,
               {"capex_per_rack", "capex_per_cooling_kw", "depreciation_years", "carbon_price_per_t"});
  Costs c;
  c.capex_per_rack = o.optional_number("capex_per_rack", c.capex_per_rack);
  c.capex_per_cooling_kw = o.optional_number("capex_per_cooling_kw", c.capex_per_cooling_kw);
  c.depreciation_years = o.optional_number("depreciation_years", c.depreciation_years);
  c.carbon_price_per_t = o.optional_number("carbon_price_per_t", c.carbon_price_per_t);
  return c;
}

Outage read_outage(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx, {"site", "start_s", "end_s", "what", "units"});
  Outage out{o.required_string("site"), o.required_number("start_s"), o.required_number("end_s")};
  out.what = o.optional_enum("what", OutageKind::kSite, EnumNames<OutageKind>::table);
  out.units = small_int(o, "units", o.optional_integer("units", 1));
  return out;
}

Link read_link(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx, {"from", "to", "fiber_km", "bandwidth_bps"});
  Link l;
  l.from = o.required_string("from");
  l.to = o.required_string("to");
  l.fiber_km = o.maybe_number("fiber_km");
  l.bandwidth_bps = o.maybe_number("bandwidth_bps");
  return l;
}

DemandPoint read_demand_point(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx, {"name", "city", "lat_deg", "lon_deg", "weight"});
  DemandPoint d;
  d.name = o.required_string("name");
  d.city = o.required_string("city");
  d.lat_deg = o.required_number("lat_deg");
  d.lon_deg = o.required_number("lon_deg");
  d.weight = o.optional_number("weight", 1.0);
  return d;
}

std::array<double, 12> twelve(const std::vector<double>& v) {
  std::array<double, 12> a{};
  std::copy(v.begin(), v.end(), a.begin());
  return a;
}

EnergySettings read_energy(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx, {"start_hour_of_year", "default_weather", "grid", "tariff", "facility"});
  EnergySettings e;
  e.start_hour_of_year = o.optional_number("start_hour_of_year", e.start_hour_of_year);
  if (const json* w = o.object("default_weather")) {
    JsonObject d(*w, o.path_of("default_weather"), ctx,
                 {"dry_bulb_c", "relative_humidity", "monthly_dry_bulb_c", "monthly_relative_humidity"});
    auto& dw = e.default_weather;
    dw.dry_bulb_c = d.optional_number("dry_bulb_c", dw.dry_bulb_c);
    dw.relative_humidity = d.optional_number("relative_humidity", dw.relative_humidity);
    if (auto m = d.maybe_number_list("monthly_dry_bulb_c", 12)) dw.monthly_dry_bulb_c = twelve(*m);
    if (auto m = d.maybe_number_list("monthly_relative_humidity", 12))
      dw.monthly_relative_humidity = twelve(*m);
  }
  if (const json* g = o.object("grid")) {
    JsonObject d(*g, o.path_of("grid"), ctx, {"carbon_kg_per_kwh", "carbon_file", "carbon_life_cycle"});
    e.grid.carbon_kg_per_kwh = d.optional_number("carbon_kg_per_kwh", e.grid.carbon_kg_per_kwh);
    e.grid.carbon_file = d.optional_string("carbon_file", "");
    e.grid.carbon_life_cycle = d.optional_bool("carbon_life_cycle", false);
  }
  if (const json* t = o.object("tariff")) {
    JsonObject d(*t, o.path_of("tariff"), ctx, {"price_per_kwh", "currency", "periods"});
    e.tariff.price_per_kwh = d.optional_number("price_per_kwh", e.tariff.price_per_kwh);
    e.tariff.currency = d.optional_string("currency", e.tariff.currency);
    const auto& periods = d.array("periods", false);
    for (std::size_t i = 0; i < periods.size(); ++i) {
      JsonObject p(periods[i], json_pointer_child(d.path_of("periods"), i), ctx,
                   {"name", "start_hour", "end_hour", "price_per_kwh"});
      e.tariff.periods.push_back({p.optional_string("name", ""), p.required_number("start_hour"),
                                  p.required_number("end_hour"), p.required_number("price_per_kwh")});
    }
  }
  if (const json* f = o.object("facility")) {
    JsonObject d(*f, o.path_of("facility"), ctx,
                 {"ups_loss_fixed", "ups_loss_linear", "ups_loss_quadratic", "air_fan_fraction",
                  "plant_pump_fraction", "free_cooling_band_c", "chiller_design_wet_bulb_c",
                  "chiller_cop_gain_per_c", "overhead_fraction", "wue_l_per_kwh"});
    auto& c = e.facility;
    c.ups_loss_fixed = d.optional_number("ups_loss_fixed", c.ups_loss_fixed);
    c.ups_loss_linear = d.optional_number("ups_loss_linear", c.ups_loss_linear);
    c.ups_loss_quadratic = d.optional_number("ups_loss_quadratic", c.ups_loss_quadratic);
    c.air_fan_fraction = d.optional_number("air_fan_fraction", c.air_fan_fraction);
    c.plant_pump_fraction = d.optional_number("plant_pump_fraction", c.plant_pump_fraction);
    c.free_cooling_band_c = d.optional_number("free_cooling_band_c", c.free_cooling_band_c);
    c.chiller_design_wet_bulb_c = d.optional_number("chiller_design_wet_bulb_c", c.chiller_design_wet_bulb_c);
    c.chiller_cop_gain_per_c = d.optional_number("chiller_cop_gain_per_c", c.chiller_cop_gain_per_c);
    c.overhead_fraction = d.optional_number("overhead_fraction", c.overhead_fraction);
    c.wue_l_per_kwh = d.optional_number("wue_l_per_kwh", c.wue_l_per_kwh);
  }
  return e;
}

Targets read_targets(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx,
               {"pue_max", "pue_hub_max", "liquid_share_min", "occupancy_min", "occupancy_hub_min",
                "gb40879_grade_max"});
  Targets t;
  t.pue_max = o.optional_number("pue_max", t.pue_max);
  t.pue_hub_max = o.optional_number("pue_hub_max", t.pue_hub_max);
  t.liquid_share_min = o.optional_number("liquid_share_min", t.liquid_share_min);
  t.occupancy_min = o.optional_number("occupancy_min", t.occupancy_min);
  t.occupancy_hub_min = o.optional_number("occupancy_hub_min", t.occupancy_hub_min);
  if (auto g = o.maybe_number_list("gb40879_grade_max", 3)) t.gb40879_grade_max = {(*g)[0], (*g)[1], (*g)[2]};
  return t;
}

Arrivals read_arrivals(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx,
               {"process", "rate_per_s", "diurnal_amplitude", "peak_hour", "file", "format", "time_scale",
                "start_s", "max_jobs", "repeat", "until_s", "warm_start"});
  Arrivals a;
  a.process = o.required_enum<ArrivalProcess>("process", EnumNames<ArrivalProcess>::table);
  a.rate_per_s = o.optional_number("rate_per_s", a.rate_per_s);
  a.diurnal_amplitude = o.optional_number("diurnal_amplitude", a.diurnal_amplitude);
  a.peak_hour = o.optional_number("peak_hour", a.peak_hour);
  if (a.process != ArrivalProcess::kPoisson) {
    a.file = o.required_string("file");
    a.format = o.required_enum<TraceFormat>("format", EnumNames<TraceFormat>::table);
  } else {
    a.file = o.optional_string("file", "");
  }
  a.time_scale = o.optional_number("time_scale", a.time_scale);
  a.start_s = o.optional_number("start_s", a.start_s);
  a.max_jobs = o.optional_integer("max_jobs", a.max_jobs);
  a.repeat = o.optional_bool("repeat", a.repeat);
  a.until_s = o.optional_number("until_s", a.until_s);
  a.warm_start = o.optional_bool("warm_start", a.warm_start);
  return a;
}

JobClass read_job_class(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx,
               {"name",
                "kind",
                "placement",
                "sites",
                "site_kinds",
                "origins",
                "origin_level",
                "arrivals",
                "service_s",
                "service_distribution",
                "cores",
                "gpus",
                "budget_s",
                "input_bytes",
                "simulated_rate_per_s",
                "deadline_factor",
                "seconds_per_token",
                "prefill_seconds_per_token",
                "cores_per_proc",
                "services",
                "utilization_mean",
                "deferrable"});
  JobClass c;
  c.name = o.required_string("name");
  c.kind = o.required_enum<JobKind>("kind", EnumNames<JobKind>::table);
  // "placement": a policy name, or {"policy": name, parameters...}.
  if (o.has("placement") && v.at("placement").is_object()) {
    const auto& pl = v.at("placement");
    const std::string pp = o.path_of("placement");
    if (!pl.contains("policy") || !pl.at("policy").is_string())
      throw UserError(ctx.file, json_pointer_child(pp, "policy"),
                      "required string field is missing (the placement policy's name)");
    c.placement = pl.at("policy").get<std::string>();
    c.placement_params = pl;
    c.placement_params.erase("policy");
  } else {
    c.placement = o.optional_string("placement", "");
  }
  c.deferrable = o.optional_bool("deferrable", c.deferrable);
  c.sites = o.optional_string_list("sites");
  c.site_kinds = o.optional_string_list("site_kinds");
  c.origins = o.optional_string_list("origins");
  c.origin_level = o.optional_enum("origin_level", OriginLevel::kCity, EnumNames<OriginLevel>::table);
  if (const json* a = o.object("arrivals"))
    c.arrivals = read_arrivals(*a, o.path_of("arrivals"), ctx);
  else if (c.kind != JobKind::kCloudService)
    o.fail("arrivals", "required field is missing");
  c.service_s = o.optional_number("service_s", c.service_s);
  c.service_distribution = o.optional_enum("service_distribution", ServiceDistribution::kExponential,
                                           EnumNames<ServiceDistribution>::table);
  c.cores = small_int(o, "cores", o.optional_integer("cores", c.cores));
  c.gpus = small_int(o, "gpus", o.optional_integer("gpus", c.gpus));
  c.budget_s = o.optional_number("budget_s", c.budget_s);
  c.input_bytes = o.optional_number("input_bytes", c.input_bytes);
  c.simulated_rate_per_s = o.optional_number("simulated_rate_per_s", c.simulated_rate_per_s);
  c.deadline_factor = o.optional_number("deadline_factor", c.deadline_factor);
  c.seconds_per_token = o.optional_number("seconds_per_token", c.seconds_per_token);
  c.prefill_seconds_per_token = o.optional_number("prefill_seconds_per_token", c.prefill_seconds_per_token);
  c.cores_per_proc = small_int(o, "cores_per_proc", o.optional_integer("cores_per_proc", c.cores_per_proc));
  c.services = o.optional_integer("services", c.services);
  c.utilization_mean = o.optional_number("utilization_mean", c.utilization_mean);
  return c;
}

Scheduling read_scheduling(const json& v, const std::string& ptr, const ReadContext& ctx) {
  JsonObject o(v, ptr, ctx, {"queue", "backfill_window", "allocation", "power", "dvfs", "after_repair"});
  Scheduling s;
  // A built-in discipline, or another name: one added at run time (Python), which load/ checks against
  // the registry.
  const std::string queue = o.optional_string("queue", "fcfs");
  if (queue.empty())
    o.fail("queue", "expected a queue discipline's name (fcfs, easy, conservative), got \"\"");
  if (const auto builtin = value_named<QueueDiscipline>(queue)) {
    s.queue = *builtin;
  } else {
    s.queue = QueueDiscipline::kAdded;
    s.added_queue = queue;
  }
  s.backfill_window = o.optional_integer("backfill_window", s.backfill_window);
  s.allocation = o.optional_enum("allocation", s.allocation, EnumNames<AllocationStrategy>::table);
  if (const json* p = o.object("power")) {
    JsonObject po(*p, o.path_of("power"), ctx, {"idle_off_s", "reserve_fraction"});
    s.power.idle_off_s = po.optional_number("idle_off_s", s.power.idle_off_s);
    s.power.reserve_fraction = po.optional_number("reserve_fraction", s.power.reserve_fraction);
  }
  s.dvfs = o.optional_enum("dvfs", s.dvfs, EnumNames<DvfsMode>::table);
  s.after_repair = o.optional_enum("after_repair", s.after_repair, EnumNames<AfterRepair>::table);
  return s;
}

template <typename T, typename F>
std::vector<T> read_array(const JsonObject& o, std::string_view key, bool required, const ReadContext& ctx,
                          F read) {
  std::vector<T> out;
  const auto& arr = o.array(key, required);
  out.reserve(arr.size());
  for (std::size_t i = 0; i < arr.size(); ++i)
    out.push_back(read(arr[i], json_pointer_child(o.path_of(key), i), ctx));
  return out;
}

}  // namespace

Scenario scenario_from_json(const json& doc, const std::string& file, bool lenient,
                            std::vector<std::string>* warnings) {
  ReadContext ctx{file, lenient, warnings};
  JsonObject o(doc, "", ctx, {"$schema",   "format_version", "name",    "description",     "seed",
                              "horizon_s", "outputs",        "network", "latency_targets", "platform",
                              "cities",    "node_types",     "sites",   "links",           "demand_points",
                              "workload",  "energy",         "targets", "scheduling",      "growth",
                              "costs",     "outages"});
  Scenario s;
  s.source_file = file;
  const auto version = o.required_integer("format_version");
  if (version != 1)
    o.fail("format_version", "this suanli reads format_version 1, got " + std::to_string(version));
  s.name = o.required_string("name");
  s.description = o.optional_string("description", "");
  const auto seed = o.optional_integer("seed", 1);
  if (seed < 0) o.fail("seed", "expected a non-negative integer, got " + std::to_string(seed));
  s.seed = static_cast<std::uint64_t>(seed);
  s.horizon_s = o.optional_number("horizon_s", s.horizon_s);

  if (const json* v = o.object("outputs")) {
    JsonObject out(*v, o.path_of("outputs"), ctx,
                   {"directory", "sampling_interval_s", "max_timeseries_rows"});
    s.outputs.directory = out.optional_string("directory", "");
    s.outputs.sampling_interval_s = out.optional_number("sampling_interval_s", s.outputs.sampling_interval_s);
    s.outputs.max_timeseries_rows =
        out.optional_integer("max_timeseries_rows", s.outputs.max_timeseries_rows);
  }
  if (const json* v = o.object("network")) {
    JsonObject n(*v, o.path_of("network"), ctx,
                 {"fiber_latency_s_per_km", "route_factor", "hop_delay_s", "intercity_bandwidth_bps"});
    auto& m = s.network;
    m.fiber_latency_s_per_km = n.optional_number("fiber_latency_s_per_km", m.fiber_latency_s_per_km);
    m.route_factor = n.optional_number("route_factor", m.route_factor);
    m.hop_delay_s = n.optional_number("hop_delay_s", m.hop_delay_s);
    m.intercity_bandwidth_bps = n.optional_number("intercity_bandwidth_bps", m.intercity_bandwidth_bps);
  }
  if (const json* v = o.object("latency_targets")) {
    JsonObject t(*v, o.path_of("latency_targets"), ctx, {"intra_city_s", "inter_central_city_s", "mode"});
    auto& m = s.latency_targets;
    m.intra_city_s = t.optional_number("intra_city_s", m.intra_city_s);
    m.inter_central_city_s = t.optional_number("inter_central_city_s", m.inter_central_city_s);
    m.mode = t.optional_enum("mode", LatencyMode::kOneWay, EnumNames<LatencyMode>::table);
  }
  if (const json* v = o.object("platform")) {
    JsonObject p(*v, o.path_of("platform"), ctx,
                 {"host_granularity", "pod_racks", "lan_latency_s", "tcp_gamma_bytes"});
    auto& m = s.platform;
    m.host_granularity =
        p.optional_enum("host_granularity", HostGranularity::kRack, EnumNames<HostGranularity>::table);
    m.pod_racks = small_int(p, "pod_racks", p.optional_integer("pod_racks", m.pod_racks));
    m.lan_latency_s = p.optional_number("lan_latency_s", m.lan_latency_s);
    m.tcp_gamma_bytes = p.optional_number("tcp_gamma_bytes", m.tcp_gamma_bytes);
  }
  s.cities = read_array<City>(o, "cities", true, ctx, read_city);
  s.node_types = read_array<NodeType>(o, "node_types", true, ctx, read_node_type);
  s.sites = read_array<Site>(o, "sites", true, ctx, read_site);
  s.links = read_array<Link>(o, "links", false, ctx, read_link);
  s.demand_points = read_array<DemandPoint>(o, "demand_points", false, ctx, read_demand_point);
  if (const json* e = o.object("energy")) s.energy = read_energy(*e, o.path_of("energy"), ctx);
  if (const json* t = o.object("targets")) s.energy.targets = read_targets(*t, o.path_of("targets"), ctx);
  if (const json* v = o.object("scheduling"))
    s.scheduling = read_scheduling(*v, o.path_of("scheduling"), ctx);
  if (const json* g = o.object("growth")) s.growth = read_growth(*g, o.path_of("growth"), ctx);
  if (const json* c = o.object("costs")) s.costs = read_costs(*c, o.path_of("costs"), ctx);
  s.outages = read_array<Outage>(o, "outages", false, ctx, read_outage);
  if (const json* w = o.object("workload")) {
    JsonObject wo(*w, o.path_of("workload"), ctx, {"classes"});
    s.workload.classes = read_array<JobClass>(wo, "classes", true, ctx, read_job_class);
  }
  return s;
}

Outage parse_outage(const std::string& text, const std::string& option) {
  const auto a = text.find(':'), b = text.rfind(':');
  if (a == std::string::npos || a == b)
    throw UserError(option, text, "expected SITE:START_S:END_S, e.g. fuzhou-core-dc:3600:7200");
  Outage out{text.substr(0, a), 0, 0};
  try {
    std::size_t used = 0;
    out.start_s = std::stod(text.substr(a + 1, b - a - 1), &used);
    if (used != b - a - 1) throw std::invalid_argument("start");
    out.end_s = std::stod(text.substr(b + 1), &used);
    if (used != text.size() - b - 1) throw std::invalid_argument("end");
  } catch (const std::exception&) {
    throw UserError(option, text,
                    "expected SITE:START_S:END_S with times in seconds, e.g. fuzhou-core-dc:3600:7200");
  }
  return out;
}

ScenarioEdit parse_scenario_edit(const std::string& text, const std::string& option) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || text.empty() || text[0] != '/')
    throw UserError(option, text, "expected POINTER=VALUE with a JSON pointer, e.g. /scheduling/queue=easy");
  ScenarioEdit e;
  e.pointer = text.substr(0, eq);
  const std::string value = text.substr(eq + 1);
  check_json_structure(value, option + " " + e.pointer);
  e.value = json::parse(value, nullptr, false);
  if (e.value.is_discarded()) e.value = value;  // not JSON: a plain string
  return e;
}

namespace {
void apply_edit(json& node, const std::vector<std::string>& tokens, std::size_t i, const json& value,
                const std::string& option, const std::string& pointer) {
  if (i == tokens.size()) {
    node = value;
    return;
  }
  const auto& t = tokens[i];
  if (t == "*") {
    if (!node.is_array())
      throw UserError(option, pointer, "\"*\" stands for every element of an array, but this is not one");
    for (auto& element : node) apply_edit(element, tokens, i + 1, value, option, pointer);
    return;
  }
  if (node.is_array() && t == "-" && i + 1 == tokens.size()) {  // RFC 6901 "-": after the last, i.e. append
    node.push_back(value);
    return;
  }
  if (node.is_array()) {
    std::size_t index = 0;
    // RFC 6901: an array index is 0 or digits without a leading zero ("00" and "01" are not indices).
    const bool numeric = !t.empty() && t.find_first_not_of("0123456789") == std::string::npos &&
                         t.size() < 10 && (t.size() == 1 || t[0] != '0');
    if (numeric) index = static_cast<std::size_t>(std::stoul(t));
    if (!numeric || index >= node.size())
      throw UserError(option, pointer,
                      "no element " + model::quoted(t) + " in an array of " + std::to_string(node.size()) +
                          (numeric ? "" : " (an index is 0 or a number without leading zeros)"));
    apply_edit(node[index], tokens, i + 1, value, option, pointer);
    return;
  }
  if (node.is_null()) node = json::object();
  if (!node.is_object())
    throw UserError(option, pointer, "cannot go into " + model::quoted(t) + ": " + describe_json(node));
  apply_edit(node[t], tokens, i + 1, value, option, pointer);
}
}  // namespace

void apply_scenario_edits(json& doc, const std::vector<ScenarioEdit>& edits, const std::string& option) {
  for (const auto& e : edits) {
    std::vector<std::string> tokens;
    try {
      const json::json_pointer ptr(e.pointer);
      tokens.clear();
      for (auto p = ptr; !p.empty(); p = p.parent_pointer()) tokens.insert(tokens.begin(), p.back());
    } catch (const json::exception&) {
      throw UserError(option, e.pointer, "not a valid JSON pointer (RFC 6901), e.g. /scheduling/queue");
    }
    if (tokens.empty()) throw UserError(option, e.pointer, "cannot replace the whole scenario");
    apply_edit(doc, tokens, 0, e.value, option, e.pointer);
  }
}

namespace {
/// A file path of the scenario as written out: absolute (resolved against the scenario's folder), so
/// the written scenario reads the same files from wherever it is kept; empty stays empty.
std::string saved_path(const Scenario& s, const std::string& path) {
  if (path.empty()) return path;
  std::error_code ec;
  const auto abs = std::filesystem::absolute(s.resolve_path(path), ec);
  return ec ? s.resolve_path(path) : abs.lexically_normal().string();
}
}  // namespace

json scenario_to_json(const Scenario& s) {
  json j;
  j["format_version"] = s.format_version;
  j["name"] = s.name;
  j["description"] = s.description;
  j["seed"] = s.seed;
  j["horizon_s"] = s.horizon_s;
  j["outputs"] = {{"directory", s.output_directory()},
                  {"sampling_interval_s", s.outputs.sampling_interval_s},
                  {"max_timeseries_rows", s.outputs.max_timeseries_rows}};
  j["network"] = {{"fiber_latency_s_per_km", s.network.fiber_latency_s_per_km},
                  {"route_factor", s.network.route_factor},
                  {"hop_delay_s", s.network.hop_delay_s},
                  {"intercity_bandwidth_bps", s.network.intercity_bandwidth_bps}};
  j["latency_targets"] = {{"intra_city_s", s.latency_targets.intra_city_s},
                          {"inter_central_city_s", s.latency_targets.inter_central_city_s},
                          {"mode", to_string(s.latency_targets.mode)}};
  j["platform"] = {{"host_granularity", to_string(s.platform.host_granularity)},
                   {"pod_racks", s.platform.pod_racks},
                   {"lan_latency_s", s.platform.lan_latency_s},
                   {"tcp_gamma_bytes", s.platform.tcp_gamma_bytes}};
  j["cities"] = json::array();
  for (const auto& c : s.cities)
    j["cities"].push_back({{"name", c.name},
                           {"name_zh", c.name_zh},
                           {"lat_deg", c.lat_deg},
                           {"lon_deg", c.lon_deg},
                           {"role", to_string(c.role)},
                           {"weather_file", saved_path(s, c.weather_file)}});
  j["node_types"] = json::array();
  for (const auto& t : s.node_types) {
    json ps = json::array();
    for (const auto& p : t.pstates)
      ps.push_back({{"core_speed_flops", p.core_speed_flops}, {"idle_w", p.idle_w}, {"max_w", p.max_w}});
    j["node_types"].push_back({{"name", t.name},
                               {"description", t.description},
                               {"cores", t.cores},
                               {"pstates", ps},
                               {"off_w", t.off_w},
                               {"gpus", t.gpus},
                               {"gpu_speed_flops", t.gpu_speed_flops},
                               {"memory_gib", t.memory_gib},
                               {"nic_bps", t.nic_bps},
                               {"servers_per_rack", t.effective_servers_per_rack()},
                               {"power_curve_file", saved_path(s, t.power_curve_file)},
                               {"boot_s", t.boot_s},
                               {"boot_w", t.effective_boot_w()},
                               {"shutdown_s", t.shutdown_s},
                               {"shutdown_w", t.effective_shutdown_w()}});
  }
  j["sites"] = json::array();
  for (const auto& st : s.sites) {
    json nodes = json::array();
    for (const auto& n : st.nodes) nodes.push_back({{"type", n.type}, {"count", n.count}});
    const auto& c = st.cooling;
    json site = {{"name", st.name},
                 {"name_zh", st.name_zh},
                 {"kind", to_string(st.kind)},
                 {"city", st.city},
                 {"lat_deg", st.lat_deg},
                 {"lon_deg", st.lon_deg},
                 {"racks", st.racks},
                 {"hub", st.hub},
                 {"nodes", nodes},
                 {"cooling",
                  {{"air_share", c.air_share},
                   {"liquid_share", c.liquid_share},
                   {"liquid_technology", to_string(c.liquid_technology)},
                   {"design_pue", c.design_pue},
                   {"free_cooling_wet_bulb_max_c", c.free_cooling_wet_bulb_max_c},
                   {"chiller_cop", c.chiller_cop},
                   {"liquid_cop", c.liquid_cop},
                   {"wue_l_per_kwh", c.wue_l_per_kwh.value_or(s.energy.facility.wue_l_per_kwh)}}},
                 {"uplink_bps", st.uplink_bps},
                 {"attach_to_city", st.attach_to_city},
                 {"weather_file", saved_path(s, st.weather_file)}};
    auto plant = [](json& o, const Plant& p) {
      if (p.capacity_w) o["capacity_w"] = *p.capacity_w;
      if (p.units > 0) {
        o["units"] = p.units;
        o["redundant_units"] = p.redundant_units;
      }
    };
    plant(site["cooling"], c.plant);
    if (st.ups.capacity_w || st.ups.units > 0) {
      site["ups"] = json::object();
      plant(site["ups"], st.ups);
    }
    if (st.metro_fiber_km) site["metro_fiber_km"] = *st.metro_fiber_km;
    j["sites"].push_back(site);
  }
  j["links"] = json::array();
  for (const auto& l : s.links) {
    json link = {{"from", l.from}, {"to", l.to}};
    if (l.fiber_km) link["fiber_km"] = *l.fiber_km;
    link["bandwidth_bps"] = l.bandwidth_bps.value_or(s.network.intercity_bandwidth_bps);
    j["links"].push_back(link);
  }
  json classes = json::array();
  for (const auto& c : s.workload.classes) {
    const auto& a = c.arrivals;
    json arrivals = {{"process", to_string(a.process)},
                     {"rate_per_s", a.rate_per_s},
                     {"diurnal_amplitude", a.diurnal_amplitude},
                     {"peak_hour", a.peak_hour},
                     {"time_scale", a.time_scale},
                     {"start_s", a.start_s},
                     {"max_jobs", a.max_jobs},
                     {"repeat", a.repeat},
                     {"until_s", a.until_s},
                     {"warm_start", a.warm_start}};
    if (a.process != ArrivalProcess::kPoisson) {
      arrivals["file"] = saved_path(s, a.file);
      arrivals["format"] = to_string(a.format);
    }
    json placement = c.placement;
    if (!c.placement_params.empty()) {
      placement = c.placement_params;
      placement["policy"] = c.placement;
    }
    classes.push_back({{"name", c.name},
                       {"kind", to_string(c.kind)},
                       {"placement", placement},
                       {"deferrable", c.deferrable},
                       {"sites", c.sites},
                       {"site_kinds", c.site_kinds},
                       {"origins", c.origins},
                       {"origin_level", to_string(c.origin_level)},
                       {"arrivals", arrivals},
                       {"service_s", c.service_s},
                       {"service_distribution", to_string(c.service_distribution)},
                       {"cores", c.cores},
                       {"gpus", c.gpus},
                       {"budget_s", c.budget_s},
                       {"input_bytes", c.input_bytes},
                       {"simulated_rate_per_s", c.simulated_rate_per_s},
                       {"deadline_factor", c.deadline_factor},
                       {"seconds_per_token", c.seconds_per_token},
                       {"prefill_seconds_per_token", c.prefill_seconds_per_token},
                       {"cores_per_proc", c.cores_per_proc},
                       {"services", c.services},
                       {"utilization_mean", c.utilization_mean}});
  }
  j["workload"] = {{"classes", classes}};
  const auto& sch = s.scheduling;
  j["scheduling"] = {
      {"queue", sch.queue_name()},
      {"backfill_window", sch.backfill_window},
      {"allocation", to_string(sch.allocation)},
      {"power", {{"idle_off_s", sch.power.idle_off_s}, {"reserve_fraction", sch.power.reserve_fraction}}},
      {"dvfs", to_string(sch.dvfs)},
      {"after_repair", to_string(sch.after_repair)}};
  const auto& e = s.energy;
  json weather = {{"dry_bulb_c", e.default_weather.dry_bulb_c},
                  {"relative_humidity", e.default_weather.relative_humidity}};
  if (e.default_weather.monthly_dry_bulb_c)
    weather["monthly_dry_bulb_c"] = *e.default_weather.monthly_dry_bulb_c;
  if (e.default_weather.monthly_relative_humidity)
    weather["monthly_relative_humidity"] = *e.default_weather.monthly_relative_humidity;
  json periods = json::array();
  for (const auto& p : e.tariff.periods)
    periods.push_back({{"name", p.name},
                       {"start_hour", p.start_hour},
                       {"end_hour", p.end_hour},
                       {"price_per_kwh", p.price_per_kwh}});
  const auto& f = e.facility;
  j["energy"] = {
      {"start_hour_of_year", e.start_hour_of_year},
      {"default_weather", weather},
      {"grid",
       {{"carbon_kg_per_kwh", e.grid.carbon_kg_per_kwh},
        {"carbon_file", saved_path(s, e.grid.carbon_file)},
        {"carbon_life_cycle", e.grid.carbon_life_cycle}}},
      {"tariff",
       {{"price_per_kwh", e.tariff.price_per_kwh}, {"currency", e.tariff.currency}, {"periods", periods}}},
      {"facility",
       {{"ups_loss_fixed", f.ups_loss_fixed},
        {"ups_loss_linear", f.ups_loss_linear},
        {"ups_loss_quadratic", f.ups_loss_quadratic},
        {"air_fan_fraction", f.air_fan_fraction},
        {"plant_pump_fraction", f.plant_pump_fraction},
        {"free_cooling_band_c", f.free_cooling_band_c},
        {"chiller_design_wet_bulb_c", f.chiller_design_wet_bulb_c},
        {"chiller_cop_gain_per_c", f.chiller_cop_gain_per_c},
        {"overhead_fraction", f.overhead_fraction},
        {"wue_l_per_kwh", f.wue_l_per_kwh}}}};
  const auto& t = e.targets;
  j["targets"] = {{"pue_max", t.pue_max},
                  {"pue_hub_max", t.pue_hub_max},
                  {"liquid_share_min", t.liquid_share_min},
                  {"occupancy_min", t.occupancy_min},
                  {"occupancy_hub_min", t.occupancy_hub_min},
                  {"gb40879_grade_max", t.gb40879_grade_max}};
  if (s.growth.present) {
    const auto& g = s.growth;
    json demand = json::array(), additions = json::array();
    for (const auto& r : g.demand) demand.push_back({{"class", r.job_class}, {"per_year", r.per_year}});
    for (const auto& a : g.additions) {
      json nodes = json::array();
      for (const auto& n : a.nodes) nodes.push_back({{"type", n.type}, {"count", n.count}});
      additions.push_back(
          {{"month", a.month}, {"site", a.site}, {"racks", a.racks}, {"nodes", nodes}, {"opens", a.opens}});
    }
    j["growth"] = {{"start", g.start},
                   {"horizon_months", g.horizon_months},
                   {"demand", demand},
                   {"additions", additions},
                   {"max_utilization", g.max_utilization}};
  }
  const auto& co = s.costs;
  j["costs"] = {{"capex_per_rack", co.capex_per_rack},
                {"capex_per_cooling_kw", co.capex_per_cooling_kw},
                {"depreciation_years", co.depreciation_years},
                {"carbon_price_per_t", co.carbon_price_per_t}};
  j["outages"] = json::array();
  for (const auto& o : s.outages)
    j["outages"].push_back({{"site", o.site},
                            {"start_s", o.start_s},
                            {"end_s", o.end_s},
                            {"what", to_string(o.what)},
                            {"units", o.units}});
  j["demand_points"] = json::array();
  for (const auto& d : s.demand_points)
    j["demand_points"].push_back({{"name", d.name},
                                  {"city", d.city},
                                  {"lat_deg", d.lat_deg},
                                  {"lon_deg", d.lon_deg},
                                  {"weight", d.weight}});
  return j;
}

}  // namespace suanli::model
