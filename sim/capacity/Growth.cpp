// The growth fast path (see the header comment for the method).
#include "capacity/Growth.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <iomanip>
#include <limits>
#include <map>
#include <sstream>

#include "capacity/WhatIf.hpp"
#include "energy/Facility.hpp"
#include "energy/Targets.hpp"
#include "io/Format.hpp"
#include "metrics/Statistics.hpp"
#include "model/Error.hpp"
#include "model/Summary.hpp"
#include "policy/ClassRules.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"
#include "workload/JobStream.hpp"

namespace suanli::capacity {

namespace {

using nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::array<int, 12> kDaysPerMonth{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
/// Load points of the facility tables: 0, 1/kLoadSteps, ..., 1 of the rated IT power.
constexpr int kLoadSteps = 40;

int start_month_index(const std::string& start) {  // 0 = January
  if (start.size() != 7) return 0;
  return std::clamp(std::atoi(start.substr(5).c_str()) - 1, 0, 11);
}

/// Month-0 offered load of the jobs of one class that use one pool (a class's jobs with GPUs use the
/// GPU hosts, the others the CPU-only hosts, as in the engine).
struct ClassLoad {
  std::size_t k = 0;  ///< the class
  bool nearest = false;
  bool gpu = false;                  ///< these jobs use the GPU hosts
  double cores = 0;                  ///< busy cores (on the pool its jobs use)
  double gpus = 0;                   ///< busy GPUs
  double energy_factor = 1;          ///< busy share of what it holds (cloud services: their mean utilization)
  double service_s = 0;              ///< mean run time (Erlang C)
  double requests_per_s = 0;         ///< real requests per second (latency_critical)
  std::vector<double> origin_share;  ///< nearest classes: share of the load from each origin
};

/// Per site, what it has at one month.
struct SiteState {
  bool open = true;
  double racks = 0;
  std::array<double, 2> cores{}, gpus{};    ///< per pool (0: CPU-only hosts, 1: GPU hosts)
  std::array<double, 2> pool_racks{};       ///< standard racks of each pool's servers
  std::array<double, 2> idle_w{}, max_w{};  ///< per pool, all servers
};

SiteState site_state(const model::Scenario& s, const model::Site& site,
                     const std::vector<model::NodeGroup>& extra, double extra_racks) {
  SiteState st;
  st.racks = static_cast<double>(site.racks) + extra_racks;
  auto add = [&](const model::NodeGroup& g) {
    const auto* t = s.find_node_type(g.type);
    if (!t || t->pstates.empty()) return;
    const std::size_t p = t->gpus > 0 ? 1 : 0;
    const double n = static_cast<double>(g.count);
    st.cores[p] += n * t->cores;
    st.gpus[p] += n * t->gpus;
    st.pool_racks[p] += n * t->standard_racks_per_server();
    st.idle_w[p] += n * t->pstates.front().idle_w;
    st.max_w[p] += n * t->pstates.front().max_w;
  };
  for (const auto& g : site.nodes) add(g);
  for (const auto& g : extra) add(g);
  return st;
}

/// Facility energy tables of a site: per calendar month and load point, IT and facility kWh.
struct FacilityTable {
  std::array<std::array<double, kLoadSteps + 1>, 12> it_kwh{}, facility_kwh{};
};

FacilityTable facility_table(const model::Scenario& s, const model::Site& site,
                             const energy::HourlyWeather& w, double rated_w) {
  FacilityTable t;
  auto f = energy::site_facility(s, site);
  f.rated_it_w = rated_w;
  std::size_t hour = 0;
  for (std::size_t c = 0; c < 12; ++c) {
    // Hours of the month counted by wet bulb (0.05 degC bins): the model depends on the hour only through it.
    std::map<long, int> bins;
    const std::size_t hours = static_cast<std::size_t>(kDaysPerMonth[c]) * 24;
    for (std::size_t h = 0; h < hours && hour < w.wet_bulb_c.size(); ++h, ++hour)
      ++bins[std::lround(w.wet_bulb_c[hour] * 20)];
    for (int k = 0; k <= kLoadSteps; ++k) {
      const double it_w = rated_w * k / kLoadSteps;
      double fac = 0;
      for (const auto& [bin, n] : bins)
        fac +=
            n *
            energy::facility_power(f, s.energy.facility, it_w, static_cast<double>(bin) / 20.0).facility_w();
      t.it_kwh[c][static_cast<std::size_t>(k)] = it_w * static_cast<double>(hours) / 1000.0;
      t.facility_kwh[c][static_cast<std::size_t>(k)] = fac / 1000.0;
    }
  }
  return t;
}

/// Facility kWh of a calendar month at `load` (share of rated), interpolated; above 1 scaled from 1.
double facility_kwh_at(const FacilityTable& t, std::size_t c, double load) {
  if (load >= 1) {
    const auto& row = t.facility_kwh[c];
    return row[kLoadSteps] + (load - 1) * (row[kLoadSteps] - row[kLoadSteps - 1]) * kLoadSteps;
  }
  const double x = std::max(0.0, load) * kLoadSteps;
  const auto k = static_cast<std::size_t>(std::floor(x));
  const double f = x - static_cast<double>(k);
  return t.facility_kwh[c][k] * (1 - f) + t.facility_kwh[c][std::min<std::size_t>(k + 1, kLoadSteps)] * f;
}

double annual_pue_at(const FacilityTable& t, double load) {
  if (!(load > 0)) return kNaN;
  double it = 0, fac = 0;
  for (std::size_t c = 0; c < 12; ++c) {
    it += t.it_kwh[c][kLoadSteps] * load;
    fac += facility_kwh_at(t, c, load);
  }
  return fac / it;
}

}  // namespace

std::vector<GrowthYear> growth_years(const std::string& start, const std::vector<GrowthMonth>& months) {
  std::vector<GrowthYear> out;
  const std::size_t n =
      months.size() > 1 ? months.size() - 1 : months.size();  // the last entry is the end state
  for (std::size_t m = 0; m < n; ++m) {
    const std::size_t y = m / 12;
    if (out.size() <= y) {
      out.emplace_back();
      out.back().year = std::atoi(month_label(start, static_cast<std::int64_t>(m)).substr(0, 4).c_str());
    }
    auto& s = out[y];
    const auto& r = months[m];
    s.it_kwh += r.it_kwh;
    s.facility_kwh += r.facility_kwh;
    s.electricity_cost += r.electricity_cost;
    s.carbon_kg += r.carbon_kg;
    s.carbon_cost += r.carbon_cost;
    s.capital_cost += r.capital_cost;
    s.gpu_utilization = r.gpus > 0 ? r.gpu_load / r.gpus : kNaN;
    s.cpu_utilization = r.cores > 0 ? r.core_busy / r.cores : kNaN;
    s.racks_needed = r.racks_needed;
    s.racks_built = r.racks_built;
    s.budget_attainment = r.budget_attainment;
  }
  return out;
}

std::string_view to_string(GrowthLimit v) {
  switch (v) {
    case GrowthLimit::kGpus:
      return "gpus";
    case GrowthLimit::kCpuCores:
      return "cpu_cores";
    case GrowthLimit::kSpace:
      return "space";
    case GrowthLimit::kItPower:
      return "it_power";
    case GrowthLimit::kCooling:
      return "cooling";
    case GrowthLimit::kPue:
      return "pue";
    case GrowthLimit::kOccupancy:
      return "occupancy";
    case GrowthLimit::kCircle:
      return "latency_circle";
    case GrowthLimit::kBudget:
      return "latency_budget";
  }
  return "?";
}

std::string month_label(const std::string& start, std::int64_t month) {
  int year = 2025, m0 = 0;
  if (start.size() == 7) {
    year = std::atoi(start.substr(0, 4).c_str());
    m0 = start_month_index(start);
  }
  const std::int64_t total = m0 + month;
  std::ostringstream o;
  o << (year + total / 12) << "-" << std::setw(2) << std::setfill('0') << (total % 12 + 1);
  return o.str();
}

double erlang_c_wait_within(double c, double a, double service_s, double t_s) {
  if (a <= 0) return 1;
  if (c <= 0 || a >= c) return 0;
  // Halfin-Whitt: with beta = (1 - rho) sqrt(c) above 8 the probability of waiting is below 1e-14.
  const double p_wait = (1 - a / c) * std::sqrt(c) < 8 ? metrics::erlang_c(c, a) : 0;
  if (t_s < 0) return 0;
  return 1 - p_wait * std::exp(-(c - a) * t_s / service_s);
}

WorkloadItLoad workload_it_load(const model::Scenario& scenario, const energy::SiteWeather& weather,
                                const energy::GridCarbon& carbon) {
  auto s = scenario;
  s.growth.horizon_months = 1;  // month 0 is all that is needed
  const auto report = compute_growth(s, weather, carbon);
  WorkloadItLoad out;
  out.month = report.start;
  out.notes = report.notes;
  for (std::size_t i = 0; i < s.sites.size(); ++i) {
    const auto& m = report.sites[i].months.front();
    out.site_it_w.push_back(m.it_w);
    out.total_w += m.it_w;
    out.rated_w += s.sites[i].rated_it_w();
    out.cores_beyond += std::max(0.0, m.core_load - m.cores);
    out.gpus_beyond += std::max(0.0, m.gpu_load - m.gpus);
  }
  return out;
}

energy::ItLoadProfile annual_it_load(const model::Scenario& s, const energy::SiteWeather& weather,
                                     const energy::GridCarbon& carbon, std::optional<double> it_load,
                                     double diurnal_amplitude, WorkloadItLoad* workload) {
  energy::ItLoadProfile p;
  p.diurnal_amplitude = diurnal_amplitude;
  const auto pct = [](double x) { return io::percent(x, 1); };
  if (it_load) {
    p.it_load = *it_load;
    p.source = "option";
    p.description = pct(*it_load) + " of each site's rated IT power (--it-load)";
    return p;
  }
  if (s.workload.classes.empty()) {
    p.it_load = 0.6;
    p.source = "assumed";
    p.description =
        "60.0 % of each site's rated IT power, assumed: the scenario has no workload (--it-load sets it)";
    return p;
  }
  const auto w = workload_it_load(s, weather, carbon);
  p.site_mean_w = w.site_it_w;
  p.it_load = w.rated_w > 0 ? w.total_w / w.rated_w : 0;
  p.source = "workload";
  std::ostringstream o;
  o << std::fixed << std::setprecision(1) << w.total_w / 1e6 << " MW mean (" << pct(p.it_load)
    << " of rated), what the scenario's workload implies at " << w.month
    << " (each class's arrivals and services, placed as its policy does: the capacity fast path; --it-load "
       "overrides)";
  p.description = o.str();
  if (workload) *workload = w;
  return p;
}

GrowthReport compute_growth(const model::Scenario& s, const energy::SiteWeather& weather,
                            const energy::GridCarbon& carbon, double min_budget_attainment) {
  const model::Growth g = s.growth;  // defaults when the scenario has no growth section
  GrowthReport rep;
  rep.scenario = s.name;
  rep.start = g.start;
  rep.horizon_months = g.horizon_months;
  rep.max_utilization = g.max_utilization;
  rep.min_budget_attainment = min_budget_attainment;
  rep.currency = s.energy.tariff.currency;
  const std::size_t n_sites = s.sites.size();
  const auto months = static_cast<std::size_t>(g.horizon_months) + 1;

  // 1. Month-0 offered load of each class and pool (load[2 k + pool]) from its job stream.
  const std::size_t n_classes = s.workload.classes.size();
  std::vector<ClassLoad> load(2 * n_classes);
  std::vector<double> window(n_classes);
  for (std::size_t u = 0; u < load.size(); ++u) {
    const std::size_t k = u / 2;
    const auto& c = s.workload.classes[k];
    auto& l = load[u];
    l.k = k;
    l.gpu = u % 2 == 1;
    l.nearest = policy::default_placement(c) == "nearest";
    const std::size_t origins =
        c.origin_level == model::OriginLevel::kCity ? s.cities.size() : s.demand_points.size();
    l.origin_share.assign(origins, 0.0);
    window[k] = c.arrivals.until_s > 0 ? std::min(c.arrivals.until_s, s.horizon_s) : s.horizon_s;
    if (c.kind == model::JobKind::kCloudService && !l.gpu) {
      l.cores = static_cast<double>(c.services) * c.cores;
      l.energy_factor = c.utilization_mean;
      const auto cum = workload::origin_cumulative_weights(s, c);
      for (std::size_t o = 0; o < origins && o < cum.size(); ++o)
        l.origin_share[o] = cum[o] - (o ? cum[o - 1] : 0.0);
    }
  }
  {
    std::vector<double> work_s(load.size()), count(load.size());
    auto stream = workload::make_job_stream(s, s.horizon_s);
    while (auto job = stream.next()) {
      const auto k = job->job_class;
      if (s.workload.classes[k].kind == model::JobKind::kCloudService) continue;
      // Offered load is arrivals x work (Little): jobs already running at 0 (warm start) are the
      // steady state of those same arrivals, not more of them.
      if (job->warm || job->submit_s >= window[k]) continue;
      const std::size_t u = 2 * k + (job->gpus > 0 ? 1 : 0);
      auto& l = load[u];
      const double w = job->weight * job->runtime_s;
      l.cores += w * job->cores;
      l.gpus += w * job->gpus;
      work_s[u] += w;
      count[u] += job->weight;
      if (job->origin < l.origin_share.size()) l.origin_share[job->origin] += w * std::max(job->cores, 1);
    }
    for (std::size_t u = 0; u < load.size(); ++u) {
      auto& l = load[u];
      if (s.workload.classes[l.k].kind == model::JobKind::kCloudService) continue;
      l.cores /= window[l.k];
      l.gpus /= window[l.k];
      l.service_s = count[u] > 0 ? work_s[u] / count[u] : 0;
      l.requests_per_s = count[u] / window[l.k];
    }
    for (auto& l : load) {
      double sum = 0;
      for (double x : l.origin_share) sum += x;
      for (auto& x : l.origin_share) x = sum > 0 ? x / sum : 0;
    }
  }

  // Where each class may run, and latencies from its origins: the rules the engine places jobs with.
  const topology::Graph graph(s);
  const auto latencies = policy::origin_latencies(s, graph);
  const auto& city_latency = latencies.city;
  const auto& point_latency = latencies.point;
  std::vector<std::vector<bool>> allowed(n_classes);
  std::vector<double> budget(n_classes, 0.0);
  for (std::size_t k = 0; k < n_classes; ++k) {
    auto rules = policy::class_rules(s, k);
    allowed[k] = std::move(rules.allowed);
    budget[k] = rules.budget_s;
  }

  // Capacity by month: additions and openings.
  std::vector<std::int64_t> opens(n_sites, 0);
  for (const auto& a : g.additions)
    if (a.opens) {
      const auto* site = s.find_site(a.site);
      if (site) opens[static_cast<std::size_t>(site - s.sites.data())] = a.month;
    }
  std::vector<std::vector<SiteState>> state(n_sites, std::vector<SiteState>(months));
  for (std::size_t i = 0; i < n_sites; ++i) {
    std::vector<model::NodeGroup> extra;
    double extra_racks = 0;
    for (std::size_t m = 0; m < months; ++m) {
      for (const auto& a : g.additions)
        if (a.site == s.sites[i].name && static_cast<std::size_t>(a.month) == m) {
          extra.insert(extra.end(), a.nodes.begin(), a.nodes.end());
          extra_racks += static_cast<double>(a.racks);
        }
      state[i][m] = site_state(s, s.sites[i], extra, extra_racks);
      state[i][m].open = static_cast<std::int64_t>(m) >= opens[i];
    }
  }

  // Facility tables at each site's rated power of the horizon (the load share is taken against it).
  std::vector<FacilityTable> tables(n_sites);
  std::vector<double> table_rated(n_sites);
  tbb::parallel_for(std::size_t{0}, n_sites, [&](std::size_t i) {
    table_rated[i] = std::max(1.0, state[i].back().racks) * model::kStandardRackW;
    tables[i] = facility_table(s, s.sites[i], weather.of(i), table_rated[i]);
  });
  double price = 0;  // mean tariff over the day
  for (int h = 0; h < 24; ++h) price += energy::tariff_price(s.energy.tariff, h + 0.5) / 24;
  double carbon_mean = 0;
  for (std::size_t h = 0; h < energy::kHoursPerYear; ++h)
    carbon_mean += carbon.kg_per_kwh(h) / energy::kHoursPerYear;
  const int m0 = start_month_index(g.start);

  rep.sites.resize(n_sites);
  std::vector<std::vector<std::array<double, 2>>> core_load(months,
                                                            std::vector<std::array<double, 2>>(n_sites));
  std::vector<std::vector<double>> gpu_load(months, std::vector<double>(n_sites));
  std::vector<std::vector<double>> served_core_energy(
      months, std::vector<double>(n_sites));  // busy cores x energy factor
  std::vector<std::vector<double>> budget_within(months, std::vector<double>(n_sites)),
      budget_total(months, std::vector<double>(n_sites));
  std::vector<double> province_budget_within(months), province_budget_total(months);
  bool noted_unserved = false;

  for (std::size_t m = 0; m < months; ++m) {
    // 2-3. Spread each class's grown load over the sites open this month.
    struct Lc {  // latency-critical load at a site, for Erlang C after the totals are known
      std::size_t u, site;
      double share;  // requests/s
      double rtt_s;
    };
    std::vector<Lc> lc;
    for (std::size_t u = 0; u < load.size(); ++u) {
      const auto& l = load[u];
      if (l.cores <= 0 && l.gpus <= 0) continue;
      const std::size_t k = l.k;
      const auto& c = s.workload.classes[k];
      const double mult = g.multiplier(c.name, static_cast<double>(m));
      const std::size_t pool = l.gpu ? 1 : 0;
      auto has_pool = [&](std::size_t i) {
        const auto& st = state[i][m];
        return st.open && allowed[k][i] && (l.gpu ? st.gpus[1] > 0 : st.cores[0] > 0);
      };
      auto add = [&](std::size_t i, double share) {
        core_load[m][i][pool] += share * l.cores * mult;
        gpu_load[m][i] += share * l.gpus * mult;
        if (pool == 0) served_core_energy[m][i] += share * l.cores * mult * l.energy_factor;
      };
      if (l.nearest) {
        const auto& lat = c.origin_level == model::OriginLevel::kCity ? city_latency : point_latency;
        for (std::size_t o = 0; o < l.origin_share.size(); ++o) {
          if (l.origin_share[o] <= 0) continue;
          std::optional<std::size_t> best;
          for (std::size_t i = 0; i < n_sites; ++i)
            if (has_pool(i) && (!best || lat[o][i] < lat[o][*best])) best = i;
          const double rtt = best ? 2 * lat[o][*best] : kInf;
          const bool within = best && (budget[k] <= 0 || rtt <= budget[k] * (1 + 1e-12));
          if (budget[k] > 0) {
            const double req = l.requests_per_s * mult * l.origin_share[o];
            province_budget_total[m] += req;
            if (within) lc.push_back({u, *best, req, rtt});
          }
          if (within)
            add(*best, l.origin_share[o]);
          else if (!noted_unserved) {
            noted_unserved = true;
            rep.notes.push_back("class \"" + c.name +
                                "\": some origins have no open site within the budget; their "
                                "load is not placed (a run rejects it)");
          }
        }
      } else {
        double total = 0;
        for (std::size_t i = 0; i < n_sites; ++i)
          if (has_pool(i)) total += l.gpu ? state[i][m].gpus[1] : state[i][m].cores[0];
        if (total <= 0) {
          if (m == 0 && (l.cores > 0 || l.gpus > 0))
            rep.notes.push_back("class \"" + c.name +
                                "\" has no site with the hosts it needs; its load is left out");
          continue;
        }
        for (std::size_t i = 0; i < n_sites; ++i)
          if (has_pool(i)) add(i, (l.gpu ? state[i][m].gpus[1] : state[i][m].cores[0]) / total);
      }
    }
    // 6. Latency budget: Erlang C at each site's CPU cores.
    for (const auto& x : lc) {
      const auto& st = state[x.site][m];
      const double p =
          erlang_c_wait_within(st.cores[0], core_load[m][x.site][0], std::max(1e-9, load[x.u].service_s),
                               budget[load[x.u].k] - x.rtt_s);
      budget_within[m][x.site] += x.share * p;
      budget_total[m][x.site] += x.share;
      province_budget_within[m] += x.share * p;
    }
  }

  // 4-5. Per site and month.
  for (std::size_t i = 0; i < n_sites; ++i) {
    const auto& site = s.sites[i];
    auto& e = rep.sites[i];
    e.level = Level::kSite;
    e.name = site.name;
    e.name_zh = site.name_zh;
    e.city = site.city;
    const auto limits = energy::evaluate_site(s, site, 1.0);
    e.pue_limit = limits.pue_limit;
    e.occupancy_limit = limits.occupancy_limit;
    e.months.resize(months);
    for (std::size_t m = 0; m < months; ++m) {
      const auto& st = state[i][m];
      auto& r = e.months[m];
      if (!st.open) {
        r.annual_pue = kNaN;
        continue;
      }
      r.gpus = st.gpus[1];
      r.gpu_load = gpu_load[m][i];
      r.cores = st.cores[0];
      r.core_load = core_load[m][i][0];
      r.core_busy = served_core_energy[m][i];
      r.racks_built = st.racks;
      const double rated_w = st.racks * model::kStandardRackW;
      r.ups_kw = site.ups.usable_w(rated_w) / 1000;
      r.cooling_kw = site.cooling.plant.usable_w(rated_w) / 1000;
      // Servers needed per pool; what the racks hold at most.
      std::array<double, 2> scale{1, 1}, util{0, 0};
      const std::array<double, 2> rho{st.cores[0] > 0 ? core_load[m][i][0] / st.cores[0] : 0.0,
                                      st.gpus[1] > 0
                                          ? gpu_load[m][i] / st.gpus[1]
                                          : (st.cores[1] > 0 ? core_load[m][i][1] / st.cores[1] : 0.0)};
      double needed = 0, installed = 0;
      for (std::size_t p = 0; p < 2; ++p) {
        scale[p] = std::max(1.0, rho[p] / g.max_utilization);
        needed += st.pool_racks[p] * scale[p];
        installed += st.pool_racks[p];
      }
      r.racks_needed = needed;
      r.it_kw_needed = (st.max_w[0] * scale[0] + st.max_w[1] * scale[1]) / 1000;
      // Energy: the servers needed, as far as the racks hold them (`factor` x the pool's installed
      // servers, at least 1), at their utilization.
      const double room = needed > 0 ? std::min(1.0, std::max(installed, st.racks) / needed) : 1.0;
      double it_w = 0;
      for (std::size_t p = 0; p < 2; ++p) {
        const double factor = std::max(1.0, scale[p] * room);
        const double busy =
            p == 0 ? (st.cores[0] > 0 ? served_core_energy[m][i] / st.cores[0] : 0.0) : rho[1];
        util[p] = std::min(1.0, busy / factor);
        it_w += factor * (st.idle_w[p] + util[p] * (st.max_w[p] - st.idle_w[p]));
      }
      const auto c = static_cast<std::size_t>((m0 + static_cast<int>(m)) % 12);
      const double load_share = it_w / table_rated[i];
      r.it_kwh = it_w * kDaysPerMonth[c] * 24 / 1000;
      r.it_w = it_w;
      r.facility_kwh = facility_kwh_at(tables[i], c, load_share);
      r.annual_pue = annual_pue_at(tables[i], load_share);
      r.budget_weight = budget_total[m][i];
      r.budget_attainment = budget_total[m][i] > 0 ? budget_within[m][i] / budget_total[m][i] : 1.0;
      r.electricity_cost = r.facility_kwh * price;
      r.carbon_kg = r.facility_kwh * carbon_mean;
      r.carbon_cost = r.carbon_kg / 1000 * s.costs.carbon_price_per_t;
      const double capital = st.racks * s.costs.capex_per_rack + r.cooling_kw * s.costs.capex_per_cooling_kw;
      r.capital_cost = capital / s.costs.depreciation_years / 12;
    }
  }

  // City and province sums. A pool of a city or the province runs out when, for some class using it,
  // the sites of the city (province) where that class may run are together above max_utilization:
  // capacity the class cannot use (another class's sites) does not count for it.
  std::vector<std::array<std::vector<bool>, 2>> pooled_hit;  // per entity (cities, then province)
  auto sum_into = [&](GrowthEntity& e, const std::vector<std::size_t>& members) {
    e.months.resize(months);
    auto& hit = pooled_hit.emplace_back();
    hit[0].assign(months, false);
    hit[1].assign(months, false);
    for (std::size_t m = 0; m < months; ++m)
      for (const auto& l : load) {
        if (l.cores <= 0 && l.gpus <= 0) continue;
        const std::size_t k = l.k;
        const std::size_t pool = l.gpu ? 1 : 0;
        double lo = 0, cap = 0;
        for (auto i : members) {
          const auto& st = state[i][m];
          if (!st.open || !allowed[k][i]) continue;
          if (pool == 1 && st.gpus[1] > 0) {
            lo += gpu_load[m][i];
            cap += st.gpus[1];
          } else if (pool == 0 && st.cores[0] > 0) {
            lo += core_load[m][i][0];
            cap += st.cores[0];
          }
        }
        if (cap > 0 && lo > g.max_utilization * cap) hit[pool][m] = true;
      }
    for (std::size_t m = 0; m < months; ++m) {
      auto& r = e.months[m];
      double within = 0;
      for (auto i : members) {
        const auto& x = rep.sites[i].months[m];
        r.gpu_load += x.gpu_load;
        r.gpus += x.gpus;
        r.core_load += x.core_load;
        r.core_busy += x.core_busy;
        r.cores += x.cores;
        r.racks_needed += x.racks_needed;
        r.racks_built += x.racks_built;
        r.it_kw_needed += x.it_kw_needed;
        r.ups_kw += x.ups_kw;
        r.cooling_kw += x.cooling_kw;
        r.it_kwh += x.it_kwh;
        r.it_w += x.it_w;
        r.facility_kwh += x.facility_kwh;
        r.electricity_cost += x.electricity_cost;
        r.carbon_kg += x.carbon_kg;
        r.carbon_cost += x.carbon_cost;
        r.capital_cost += x.capital_cost;
        r.budget_weight += x.budget_weight;
        within += x.budget_weight * x.budget_attainment;
      }
      r.budget_attainment = r.budget_weight > 0 ? within / r.budget_weight : 1.0;
      // Annual PUE at this month's load: the members' years at their loads.
      double it = 0, fac = 0;
      for (auto i : members) {
        const auto& x = rep.sites[i].months[m];
        if (!std::isfinite(x.annual_pue)) continue;
        const double year_it =
            x.it_kwh / (kDaysPerMonth[static_cast<std::size_t>((m0 + static_cast<int>(m)) % 12)] * 24) * 8760;
        it += year_it;
        fac += year_it * x.annual_pue;
      }
      r.annual_pue = it > 0 ? fac / it : kNaN;
    }
  };
  for (const auto& city : s.cities) {
    GrowthEntity e;
    e.level = Level::kCity;
    e.name = city.name;
    e.name_zh = city.name_zh;
    e.city = city.name;
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < n_sites; ++i)
      if (s.sites[i].city == city.name) members.push_back(i);
    sum_into(e, members);
    rep.cities.push_back(std::move(e));
  }
  {
    std::vector<std::size_t> all(n_sites);
    for (std::size_t i = 0; i < n_sites; ++i) all[i] = i;
    rep.province.level = Level::kProvince;
    rep.province.name = s.name;
    sum_into(rep.province, all);
    // Requests with no site within the budget count as missed at the province level.
    for (std::size_t m = 0; m < months; ++m) {
      auto& r = rep.province.months[m];
      if (province_budget_total[m] > 0) {
        r.budget_weight = province_budget_total[m];
        r.budget_attainment = province_budget_within[m] / province_budget_total[m];
      }
    }
    rep.province.pue_limit = s.energy.targets.pue_max;
    rep.province.occupancy_limit = s.energy.targets.occupancy_min;
  }

  // Latency circle of the sites open each month (recomputed when the open set changes).
  std::vector<std::vector<bool>> site_circle_miss(n_sites, std::vector<bool>(months, false));
  std::vector<std::vector<bool>> city_circle_miss(s.cities.size(), std::vector<bool>(months, false));
  std::vector<bool> province_circle_miss(months, false);
  {
    std::vector<bool> open_before;
    topology::CircleReport circle;
    std::vector<std::size_t> index_of;  // site of the month's scenario -> site of s
    for (std::size_t m = 0; m < months; ++m) {
      std::vector<bool> open(n_sites);
      for (std::size_t i = 0; i < n_sites; ++i) open[i] = state[i][m].open;
      if (open != open_before) {
        open_before = open;
        model::Scenario sm = s;
        index_of.clear();
        for (std::size_t i = 0; i < n_sites; ++i) {
          if (open[i])
            index_of.push_back(i);
          else
            remove_site(sm, s.sites[i].name);
        }
        const topology::Graph gm(sm);
        circle = topology::latency_circle(sm, gm);
      }
      for (const auto& c : circle.cities) {
        city_circle_miss[c.city][m] = !c.within();
        for (const auto& sl : c.own_sites)
          if (!sl.within) site_circle_miss[index_of[sl.site]][m] = true;
      }
      province_circle_miss[m] = !circle.violations.empty();
    }
  }

  // First months.
  auto firsts = [&](GrowthEntity& e, const std::array<std::vector<bool>, 2>* pooled,
                    const std::vector<bool>& circle_miss) {
    bool any_gpus = false, any_cores = false, any_budget = false;
    for (const auto& r : e.months) {
      any_gpus = any_gpus || r.gpus > 0;
      any_cores = any_cores || r.cores > 0;
      any_budget = any_budget || r.budget_weight > 0;
    }
    e.applicable = {any_gpus, any_cores, true, true, true, e.pue_limit > 0, e.occupancy_limit > 0,
                    true,     any_budget};
    for (std::size_t m = 0; m < months; ++m) {
      const auto& r = e.months[m];
      const bool hit[kGrowthLimits] = {
          pooled ? (*pooled)[1][m] : r.gpus > 0 && r.gpu_load > g.max_utilization * r.gpus,
          pooled ? (*pooled)[0][m] : r.cores > 0 && r.core_load > g.max_utilization * r.cores,
          r.racks_needed > r.racks_built * (1 + 1e-9),
          r.it_kw_needed > r.ups_kw * (1 + 1e-9),
          r.it_kw_needed > r.cooling_kw * (1 + 1e-9),
          e.pue_limit > 0 && std::isfinite(r.annual_pue) && r.annual_pue > e.pue_limit,
          e.occupancy_limit > 0 && r.racks_built > 0 && r.racks_needed / r.racks_built >= e.occupancy_limit,
          circle_miss[m],
          r.budget_weight > 0 && r.budget_attainment < min_budget_attainment,
      };
      for (std::size_t x = 0; x < kGrowthLimits; ++x)
        if (hit[x] && e.applicable[x] && !e.first[x]) e.first[x] = static_cast<std::int64_t>(m);
    }
  };
  for (std::size_t i = 0; i < n_sites; ++i) firsts(rep.sites[i], nullptr, site_circle_miss[i]);
  for (std::size_t c = 0; c < rep.cities.size(); ++c)
    firsts(rep.cities[c], &pooled_hit[c], city_circle_miss[c]);
  firsts(rep.province, &pooled_hit.back(), province_circle_miss);
  return rep;
}

model::Scenario scenario_at_month(const model::Scenario& scenario, std::int64_t month) {
  model::Scenario s = scenario;
  const auto& g = scenario.growth;
  if (month < 0 || month > g.horizon_months)
    throw model::UserError(
        "--growth-month", std::to_string(month),
        "expected a month in [0, " + std::to_string(g.horizon_months) + "] of /growth/horizon_months");
  for (auto& c : s.workload.classes) {
    const double mult = g.multiplier(c.name, static_cast<double>(month));
    if (c.kind == model::JobKind::kCloudService) {
      c.services = static_cast<std::int64_t>(std::llround(static_cast<double>(c.services) * mult));
    } else if (c.arrivals.process != model::ArrivalProcess::kTrace) {
      c.arrivals.rate_per_s *= mult;
    } else {
      c.arrivals.time_scale /= mult;
    }
  }
  std::vector<std::string> closed;
  for (const auto& a : g.additions) {
    auto it =
        std::find_if(s.sites.begin(), s.sites.end(), [&](const model::Site& x) { return x.name == a.site; });
    if (it == s.sites.end()) continue;
    if (a.opens && a.month > month) closed.push_back(a.site);
    if (a.month > month) continue;
    it->racks += a.racks;
    it->nodes.insert(it->nodes.end(), a.nodes.begin(), a.nodes.end());
  }
  for (const auto& name : closed) {
    const auto emptied = remove_site(s, name);
    if (!emptied.empty())
      throw model::UserError(scenario.source_file, "/growth/additions",
                             "class \"" + emptied.front() + "\" runs only at sites that open after month " +
                                 std::to_string(month));
  }
  return s;
}

// Output -----------------------------------------------------------------------------------------

namespace {

std::string first_label(const GrowthReport& r, const GrowthEntity& e, std::size_t x) {
  if (!e.applicable[x]) return "n/a";
  if (!e.first[x]) return "-";
  if (*e.first[x] == 0) return static_cast<GrowthLimit>(x) == GrowthLimit::kOccupancy ? "already" : "now";
  return month_label(r.start, *e.first[x]);
}

constexpr const char* kHeads[kGrowthLimits] = {"GPUs",      "CPU cores", "racks",  "IT power", "cooling",
                                               "PUE>limit", "occupancy", "circle", "budget<"};

/// Columns a UTF-8 string takes on a terminal: CJK characters (3-byte sequences) two, others one.
std::size_t display_width(const std::string& text) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += len == 3 ? 2 : 1;
    i += len;
  }
  return w;
}

void print_row(std::ostream& out, const GrowthReport& r, const GrowthEntity& e, const std::string& label) {
  const std::size_t width = 40;
  out << "  " << label << std::string(width > display_width(label) ? width - display_width(label) : 1, ' ');
  for (std::size_t x = 0; x < kGrowthLimits; ++x) out << std::setw(12) << first_label(r, e, x);
  out << "\n";
}

std::string entity_label(const GrowthEntity& e, int indent) {
  std::string l(static_cast<std::size_t>(indent), ' ');
  l += e.name;
  if (e.level != Level::kSite && !e.name_zh.empty()) l += " (" + e.name_zh + ")";
  return l;
}

}  // namespace

void print_growth(std::ostream& out, const GrowthReport& r, bool verbose) {
  out << "Growth of " << r.scenario << " from " << r.start << " over " << r.horizon_months << " months"
      << " (a pool runs out above " << io::percent(r.max_utilization, 0) << " offered utilization)\n";
  if (!r.province.months.empty()) {
    // The load every later month grows from, and what the PUE columns mean.
    const auto& m = r.province.months.front();
    std::ostringstream o;
    o << std::fixed << std::setprecision(1) << "  load at " << r.start
      << " (month 0), what the workload implies: IT " << m.it_w / 1e6 << " MW; GPUs "
      << (m.gpus > 0 ? 100 * m.gpu_load / m.gpus : 0.0) << " % busy, CPU cores "
      << (m.cores > 0 ? 100 * m.core_busy / m.cores : 0.0)
      << " % busy (held: " << (m.cores > 0 ? 100 * m.core_load / m.cores : 0.0)
      << " %)\n  PUE of a month: over a whole weather year at that month's load (the targets are annual)\n";
    out << o.str();
  }
  out << "\n";
  out << "First month each runs out or misses its target (\"-\": not within the horizon; \"now\": already at "
      << r.start << "; n/a: no such resource or target):\n";
  out << "  " << std::string(40, ' ');
  for (std::size_t x = 0; x < kGrowthLimits; ++x) {
    std::string h = kHeads[x];
    if (x == static_cast<std::size_t>(GrowthLimit::kBudget)) h += io::percent(r.min_budget_attainment, 0);
    out << std::setw(12) << h;
  }
  out << "\n";
  print_row(out, r, r.province, "province " + r.scenario);
  for (std::size_t c = 0; c < r.cities.size(); ++c) {
    const auto& city = r.cities[c];
    if (city.months.empty() || city.months.back().racks_built <= 0) continue;
    print_row(out, r, city, entity_label(city, 2));
    if (!verbose) continue;
    for (const auto& site : r.sites)
      if (site.city == city.name) print_row(out, r, site, entity_label(site, 4));
  }
  out << "  (occupancy: the first month the racks needed reach the occupancy target; racks, IT power and "
         "cooling: the "
         "month the servers needed no longer fit; circle: the latency circle of `suanli check` fails)\n";
  if (!verbose) out << "  (sites: -v)\n";

  out << "\nProvince per year (utilization, racks and budget at the year's last month; energy, carbon and "
         "cost summed):\n";
  out << "  " << std::left << std::setw(6) << "year" << std::right << std::setw(9) << "GPU use"
      << std::setw(9) << "CPU use" << std::setw(11) << "racks need" << std::setw(10) << "built"
      << std::setw(9) << "IT GWh" << std::setw(10) << "fac. GWh" << std::setw(7) << "PUE" << std::setw(8)
      << "budget" << std::setw(12) << "electricity" << std::setw(10) << "kt CO2" << std::setw(10) << "carbon"
      << std::setw(10) << "capital" << std::setw(10) << "TCO"
      << "\n";
  for (const auto& y : growth_years(r.start, r.province.months)) {
    auto pct = [](double x) { return io::percent(x, 0); };
    std::ostringstream line;
    line << std::fixed << "  " << std::left << std::setw(6) << y.year << std::right << std::setw(9)
         << pct(y.gpu_utilization) << std::setw(9) << pct(y.cpu_utilization) << std::setw(11)
         << std::setprecision(0) << y.racks_needed << std::setw(10) << y.racks_built << std::setw(9)
         << std::setprecision(1) << y.it_kwh / 1e6 << std::setw(10) << y.facility_kwh / 1e6 << std::setw(7)
         << std::setprecision(3) << (y.it_kwh > 0 ? y.facility_kwh / y.it_kwh : kNaN) << std::setw(8)
         << pct(y.budget_attainment) << std::setprecision(1) << std::setw(12) << y.electricity_cost / 1e6
         << std::setw(10) << y.carbon_kg / 1e6 << std::setw(10) << y.carbon_cost / 1e6 << std::setw(10)
         << y.capital_cost / 1e6 << std::setw(10) << y.tco() / 1e6 << "\n";
    out << line.str();
  }
  out << "  (cost columns in M " << r.currency << ": electricity at the tariff's daily mean price, carbon at "
      << "costs.carbon_price_per_t, capital = (racks x costs.capex_per_rack + cooling kW x "
      << "costs.capex_per_cooling_kw) / costs.depreciation_years; TCO = their sum; per site: --costs-csv)\n";
  for (const auto& n : r.notes) out << "note: " << n << "\n";
}

json growth_json(const GrowthReport& r) {
  auto num = [](double x) { return std::isfinite(x) ? json(x) : json(nullptr); };
  auto entity = [&](const GrowthEntity& e) {
    json first = json::object();
    for (std::size_t x = 0; x < kGrowthLimits; ++x) {
      const std::string key(to_string(static_cast<GrowthLimit>(x)));
      if (!e.applicable[x])
        first[key] = nullptr;
      else
        first[key] = {{"month", e.first[x] ? json(*e.first[x]) : json(nullptr)},
                      {"date", e.first[x] ? json(month_label(r.start, *e.first[x])) : json(nullptr)}};
    }
    json months = json::array();
    for (std::size_t m = 0; m < e.months.size(); ++m) {
      const auto& x = e.months[m];
      months.push_back({{"month", m},
                        {"date", month_label(r.start, static_cast<std::int64_t>(m))},
                        {"gpu_load", x.gpu_load},
                        {"gpus", x.gpus},
                        {"core_load", x.core_load},
                        {"core_busy", x.core_busy},
                        {"cores", x.cores},
                        {"racks_needed", x.racks_needed},
                        {"racks_built", x.racks_built},
                        {"it_kw_needed", x.it_kw_needed},
                        {"ups_kw", x.ups_kw},
                        {"cooling_kw", x.cooling_kw},
                        {"it_kwh", x.it_kwh},
                        {"it_w", x.it_w},
                        {"facility_kwh", x.facility_kwh},
                        {"annual_pue", num(x.annual_pue)},
                        {"budget_attainment", x.budget_attainment},
                        {"electricity_cost", x.electricity_cost},
                        {"carbon_kg", x.carbon_kg},
                        {"carbon_cost", x.carbon_cost},
                        {"capital_cost", x.capital_cost}});
    }
    json years = json::array();
    for (const auto& y : growth_years(r.start, e.months))
      years.push_back({{"year", y.year},
                       {"it_kwh", y.it_kwh},
                       {"facility_kwh", y.facility_kwh},
                       {"electricity_cost", y.electricity_cost},
                       {"carbon_kg", y.carbon_kg},
                       {"carbon_cost", y.carbon_cost},
                       {"capital_cost", y.capital_cost},
                       {"tco", y.tco()}});
    return json{{"years", years},
                {"level", to_string(e.level)},
                {"name", e.name},
                {"name_zh", e.name_zh},
                {"city", e.city},
                {"pue_limit", e.pue_limit},
                {"occupancy_limit", e.occupancy_limit},
                {"first", first},
                {"months", months}};
  };
  json j = {{"scenario", r.scenario},
            {"start", r.start},
            {"horizon_months", r.horizon_months},
            {"max_utilization", r.max_utilization},
            {"min_budget_attainment", r.min_budget_attainment},
            {"currency", r.currency},
            {"notes", r.notes},
            {"province", entity(r.province)}};
  j["cities"] = json::array();
  for (const auto& e : r.cities) j["cities"].push_back(entity(e));
  j["sites"] = json::array();
  for (const auto& e : r.sites) j["sites"].push_back(entity(e));
  return j;
}

namespace {

/// A money column named as in the JSON with its currency as the unit: electricity_cost_cny for "CNY".
std::string money_column(const std::string& name, const std::string& currency) {
  if (currency.empty()) return name;
  std::string unit;
  for (const char c : currency) {
    const auto u = static_cast<unsigned char>(c);
    unit += u >= 0x80 || std::isalnum(u) ? static_cast<char>(std::tolower(u)) : '_';  // UTF-8 bytes kept
  }
  return name + "_" + unit;
}

}  // namespace

std::string growth_costs_csv(const GrowthReport& r, bool bom) {
  std::string out = bom ? std::string(io::kUtf8Bom) : "";
  out += "level,name,name_zh,city,year,it_mwh,facility_mwh,pue," +
         money_column("electricity_cost", r.currency) + ",carbon_t," +
         money_column("carbon_cost", r.currency) + "," + money_column("capital_cost", r.currency) + "," +
         money_column("tco", r.currency) + "\n";
  const auto f = io::format_double_or_empty;
  auto rows = [&](const GrowthEntity& e) {
    for (const auto& y : growth_years(r.start, e.months))
      out += std::string(to_string(e.level)) + "," + io::spreadsheet_cell(e.name) + "," +
             io::spreadsheet_cell(e.name_zh) + "," + io::spreadsheet_cell(e.city) + "," +
             std::to_string(y.year) + "," + f(y.it_kwh / 1000) + "," + f(y.facility_kwh / 1000) + "," +
             f(y.it_kwh > 0 ? y.facility_kwh / y.it_kwh : kNaN) + "," + f(y.electricity_cost) + "," +
             f(y.carbon_kg / 1000) + "," + f(y.carbon_cost) + "," + f(y.capital_cost) + "," + f(y.tco()) +
             "\n";
  };
  rows(r.province);
  for (const auto& e : r.cities) rows(e);
  for (const auto& e : r.sites) rows(e);
  return out;
}

std::string growth_csv(const GrowthReport& r, bool bom) {
  std::string out = bom ? std::string(io::kUtf8Bom) : "";
  out += "level,name,name_zh,city,limit,first_month,date\n";
  auto rows = [&](const GrowthEntity& e) {
    for (std::size_t x = 0; x < kGrowthLimits; ++x) {
      if (!e.applicable[x]) continue;
      out += std::string(to_string(e.level)) + "," + io::spreadsheet_cell(e.name) + "," +
             io::spreadsheet_cell(e.name_zh) + "," + io::spreadsheet_cell(e.city) + "," +
             std::string(to_string(static_cast<GrowthLimit>(x))) + "," +
             (e.first[x] ? std::to_string(*e.first[x]) + "," + month_label(r.start, *e.first[x]) : ",") +
             "\n";
    }
  };
  rows(r.province);
  for (const auto& e : r.cities) rows(e);
  for (const auto& e : r.sites) rows(e);
  return out;
}

}  // namespace suanli::capacity
