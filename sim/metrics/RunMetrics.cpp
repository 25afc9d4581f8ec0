// Job records, site samples and the run summary.
#include "metrics/RunMetrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "energy/Targets.hpp"
#include "io/Format.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Summary.hpp"

namespace suanli::metrics {

namespace {

nlohmann::json distribution(const Sample& s) {
  if (s.count() == 0) return nullptr;
  return {{"mean", s.mean()},
          {"p50", s.quantile(0.5)},
          {"p95", s.quantile(0.95)},
          {"p99", s.quantile(0.99)},
          {"max", s.max()}};
}

std::string number_or_empty(double x) { return x < 0 ? std::string() : io::format_double(x); }

}  // namespace

std::string_view to_string(Outcome v) {
  switch (v) {
    case Outcome::kCompleted:
      return "completed";
    case Outcome::kRejected:
      return "rejected";
    case Outcome::kUnfinished:
      return "unfinished";
    case Outcome::kLost:
      return "lost";
  }
  return "?";
}

RunMetrics::RunMetrics(const model::Scenario& scenario, const std::string& directory, bool gzip,
                       bool jobs_csv, RunColumns* columns)
    : scenario_(scenario),
      directory_(directory),
      gzip_(gzip),
      columns_(columns),
      classes_(scenario.workload.classes.size()) {
  if (directory.empty()) return;
  const std::string ext = gzip ? ".csv.gz" : ".csv";
  if (jobs_csv)
    jobs_csv_ =
        std::make_unique<io::OutputFile>((std::filesystem::path(directory) / ("jobs" + ext)).string(), gzip);
  timeseries_csv_ = std::make_unique<io::OutputFile>(
      (std::filesystem::path(directory) / ("timeseries" + ext)).string(), gzip);
  if (jobs_csv_)
    jobs_csv_->write(
        "id,class,kind,origin,site,submit_s,start_s,end_s,wait_s,runtime_s,cores,gpus,network_rtt_s,budget_s,"
        "budget_met,deadline_met,weight,energy_j,outcome,reason,trace_id\n");
  timeseries_csv_->write(
      "time_s,site,cpu_utilization,gpu_utilization,running,queued,it_power_w,loss_w,cooling_w,overhead_w,"
      "facility_w,pue,free_cooling,dry_bulb_c,wet_bulb_c,carbon_kg_per_h\n");
}

RunMetrics::Totals RunMetrics::totals() const {
  Totals t;
  t.recorded = recorded_;
  double wait_sum = 0, wait_weight = 0;
  for (const auto& st : classes_) {
    t.completed += st.completed;
    t.rejected += st.rejected;
    t.unfinished += st.unfinished;
    t.lost += st.lost;
    if (st.wait_s.total_weight() <= 0) continue;
    wait_sum += st.wait_s.mean() * st.wait_s.total_weight();
    wait_weight += st.wait_s.total_weight();
  }
  t.wait_mean_s = wait_weight > 0 ? wait_sum / wait_weight : 0;
  return t;
}

void RunMetrics::record_job(const workload::Job& job, const JobRecord& r) {
  const auto& cls = scenario_.workload.classes[job.job_class];
  auto& st = classes_[job.job_class];
  const bool latency_critical = cls.kind == model::JobKind::kLatencyCritical;
  const double budget =
      latency_critical ? (cls.budget_s > 0 ? cls.budget_s : scenario_.latency_targets.intra_city_s) : 0;
  // Budget met: served (placed and not refused) where the network round trip fits the budget.
  const bool placed = r.site >= 0 && !(r.outcome == Outcome::kRejected);
  const bool budget_met = latency_critical && placed && r.network_rtt_s <= budget * (1 + 1e-12);
  const bool has_deadline = std::isfinite(job.deadline_s);
  const bool deadline_met = has_deadline && r.outcome == Outcome::kCompleted && r.end_s <= job.deadline_s;
  const double wait = r.start_s >= 0 ? r.start_s - job.submit_s : -1;

  st.submitted++;
  st.weight_submitted += job.weight;
  if (r.outcome == Outcome::kCompleted) st.completed++;
  if (r.outcome == Outcome::kRejected) st.rejected++;
  if (r.outcome == Outcome::kUnfinished) st.unfinished++;
  if (r.outcome == Outcome::kLost) st.lost++;
  if (!r.reason.empty()) {
    auto it = std::find_if(st.reasons.begin(), st.reasons.end(),
                           [&](const auto& p) { return p.first == r.reason; });
    if (it == st.reasons.end())
      st.reasons.emplace_back(std::string(r.reason), 1);
    else
      it->second++;
  }
  if (latency_critical) {
    st.weight_budgeted += job.weight;
    if (budget_met) st.weight_met += job.weight;
  }
  if (has_deadline) {
    st.weight_deadline += job.weight;
    if (deadline_met) st.weight_deadline_met += job.weight;
  }
  if (wait >= 0) st.wait_s.add(wait, job.weight);
  if (placed) st.rtt_s.add(r.network_rtt_s, job.weight);
  if (r.outcome == Outcome::kCompleted)
    st.response_s.add(r.end_s - job.submit_s + r.network_rtt_s, job.weight);
  recorded_++;
  if (columns_ && columns_->keep_jobs) record_columns(job, r, budget, budget_met, deadline_met, wait);
  if (!jobs_csv_) return;

  auto& l = line_;
  l.clear();
  l += std::to_string(job.id);
  l += ',';
  l += io::csv_escape(cls.name);
  l += ',';
  l += model::to_string(cls.kind);
  l += ',';
  l += io::csv_escape(cls.origin_level == model::OriginLevel::kCity
                          ? scenario_.cities[job.origin].name
                          : scenario_.demand_points[job.origin].name);
  l += ',';
  if (r.site >= 0) l += io::csv_escape(scenario_.sites[static_cast<std::size_t>(r.site)].name);
  l += ',';
  l += io::format_double(job.submit_s);
  l += ',';
  l += number_or_empty(r.start_s);
  l += ',';
  l += number_or_empty(r.end_s);
  l += ',';
  l += number_or_empty(wait);
  l += ',';
  l += io::format_double(job.runtime_s);
  l += ',';
  l += std::to_string(job.cores);
  l += ',';
  l += std::to_string(job.gpus);
  l += ',';
  if (r.site >= 0) l += io::format_double(r.network_rtt_s);
  l += ',';
  if (latency_critical) l += io::format_double(budget);
  l += ',';
  if (latency_critical) l += budget_met ? "1" : "0";
  l += ',';
  if (has_deadline) l += deadline_met ? "1" : "0";
  l += ',';
  l += io::format_double(job.weight);
  l += ',';
  l += io::format_double(r.energy_j);
  l += ',';
  l += to_string(r.outcome);
  l += ',';
  l += r.reason;
  l += ',';
  if (job.trace_id >= 0) l += std::to_string(job.trace_id);
  l += '\n';
  jobs_csv_->write(l);
}

void RunMetrics::record_sample(double t_s, std::size_t site, double cpu_util, double gpu_util,
                               std::size_t running, std::size_t queued, const energy::FacilityPower& p,
                               const SampleConditions& c) {
  if (columns_) {
    auto& ts = columns_->timeseries;
    ts.time_s.push_back(t_s);
    ts.site.push_back(static_cast<std::int32_t>(site));
    ts.cpu_utilization.push_back(cpu_util);
    ts.gpu_utilization.push_back(gpu_util);
    ts.running.push_back(static_cast<std::int64_t>(running));
    ts.queued.push_back(static_cast<std::int64_t>(queued));
    ts.it_power_w.push_back(p.it_w);
    ts.loss_w.push_back(p.loss_w);
    ts.cooling_w.push_back(p.cooling_w());
    ts.overhead_w.push_back(p.overhead_w);
    ts.facility_w.push_back(p.facility_w());
    ts.pue.push_back(p.it_w > 0 ? p.pue() : std::numeric_limits<double>::quiet_NaN());
    ts.free_cooling.push_back(p.free_cooling);
    ts.dry_bulb_c.push_back(c.dry_bulb_c);
    ts.wet_bulb_c.push_back(c.wet_bulb_c);
    ts.carbon_kg_per_h.push_back(p.facility_w() / 1000 * c.carbon_kg_per_kwh);
  }
  if (!timeseries_csv_) return;
  auto& l = line_;
  l.clear();
  l += io::format_double(t_s);
  l += ',';
  l += io::csv_escape(scenario_.sites[site].name);
  l += ',';
  l += io::format_fixed(cpu_util, 6);
  l += ',';
  l += io::format_fixed(gpu_util, 6);
  l += ',';
  l += std::to_string(running);
  l += ',';
  l += std::to_string(queued);
  l += ',';
  for (double w : {p.it_w, p.loss_w, p.cooling_w(), p.overhead_w, p.facility_w()}) {
    l += io::format_fixed(w, 3);
    l += ',';
  }
  if (p.it_w > 0) l += io::format_fixed(p.pue(), 6);
  l += ',';
  l += io::format_fixed(p.free_cooling, 3);
  l += ',';
  l += io::format_fixed(c.dry_bulb_c, 2);
  l += ',';
  l += io::format_fixed(c.wet_bulb_c, 2);
  l += ',';
  l += io::format_fixed(p.facility_w() / 1000 * c.carbon_kg_per_kwh, 3);
  l += '\n';
  timeseries_csv_->write(l);
}

void RunMetrics::record_columns(const workload::Job& job, const JobRecord& r, double budget, bool budget_met,
                                bool deadline_met, double wait) {
  constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
  const auto& cls = scenario_.workload.classes[job.job_class];
  const bool latency_critical = cls.kind == model::JobKind::kLatencyCritical;
  auto& c = columns_->jobs;
  c.id.push_back(static_cast<std::int64_t>(job.id));
  c.trace_id.push_back(job.trace_id >= 0 ? static_cast<std::int64_t>(job.trace_id) : -1);
  c.job_class.push_back(static_cast<std::int32_t>(job.job_class));
  c.origin.push_back(static_cast<std::int32_t>(
      cls.origin_level == model::OriginLevel::kCity ? job.origin : scenario_.cities.size() + job.origin));
  c.site.push_back(static_cast<std::int32_t>(r.site));
  c.outcome.push_back(static_cast<std::int32_t>(r.outcome));
  std::int32_t reason = -1;
  if (!r.reason.empty()) {
    auto& names = columns_->reasons;
    const auto it = std::find(names.begin(), names.end(), r.reason);
    reason = static_cast<std::int32_t>(it - names.begin());
    if (it == names.end()) names.emplace_back(r.reason);
  }
  c.reason.push_back(reason);
  c.cores.push_back(static_cast<std::int32_t>(job.cores));
  c.gpus.push_back(static_cast<std::int32_t>(job.gpus));
  c.budget_met.push_back(latency_critical ? (budget_met ? 1 : 0) : -1);
  c.deadline_met.push_back(std::isfinite(job.deadline_s) ? (deadline_met ? 1 : 0) : -1);
  c.submit_s.push_back(job.submit_s);
  c.start_s.push_back(r.start_s >= 0 ? r.start_s : kNone);
  c.end_s.push_back(r.end_s >= 0 ? r.end_s : kNone);
  c.wait_s.push_back(wait >= 0 ? wait : kNone);
  c.runtime_s.push_back(job.runtime_s);
  c.network_rtt_s.push_back(r.site >= 0 ? r.network_rtt_s : kNone);
  c.budget_s.push_back(latency_critical ? budget : kNone);
  c.weight.push_back(job.weight);
  c.energy_j.push_back(r.energy_j);
}

std::string weather_year_time(double hour_of_year) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  double h = std::fmod(hour_of_year, 8760.0);
  if (h < 0) h += 8760.0;
  auto minutes = static_cast<long>(std::llround(h * 60));
  if (minutes >= 8760L * 60) minutes = 0;
  long day = minutes / (24 * 60);
  const long minute_of_day = minutes % (24 * 60);
  int month = 0;
  while (month < 11 && day >= kDays[month]) day -= kDays[month++];
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d-%02ld %02ld:%02ld", month + 1, day + 1, minute_of_day / 60,
                minute_of_day % 60);
  return buf;
}

nlohmann::json RunMetrics::summary(double simulated_s, const std::vector<SiteTotals>& sites) const {
  using nlohmann::json;
  json j;
  j["scenario"] = scenario_.name;
  j["seed"] = scenario_.seed;
  j["simulated_s"] = simulated_s;
  // The part of the weather year the run covers: its PUE and energy are those days', not a year's.
  const double h0 = scenario_.energy.start_hour_of_year, hours = simulated_s / 3600.0;
  j["period"] = {{"start_hour_of_year", h0},
                 {"hours", hours},
                 {"from", weather_year_time(h0)},
                 {"to", weather_year_time(h0 + hours)},
                 {"annual", hours >= 8760.0 - 1e-9}};
  std::uint64_t submitted = 0, completed = 0, rejected = 0, unfinished = 0, lost = 0;
  json classes = json::array();
  for (std::size_t i = 0; i < classes_.size(); ++i) {
    const auto& st = classes_[i];
    const auto& cls = scenario_.workload.classes[i];
    submitted += st.submitted;
    completed += st.completed;
    rejected += st.rejected;
    unfinished += st.unfinished;
    lost += st.lost;
    json reasons = json::object();
    for (const auto& [reason, count] : st.reasons) reasons[reason] = count;
    json c = {{"name", cls.name},
              {"kind", model::to_string(cls.kind)},
              {"jobs_simulated", st.submitted},
              {"jobs_represented", st.weight_submitted},
              {"completed", st.completed},
              {"rejected", st.rejected},
              {"unfinished", st.unfinished},
              {"lost", st.lost},
              {"reasons", reasons},
              {"wait_s", distribution(st.wait_s)},
              {"network_rtt_s", distribution(st.rtt_s)},
              {"response_s", distribution(st.response_s)}};
    c["budget_attainment"] =
        st.weight_budgeted > 0 ? json(st.weight_met / st.weight_budgeted) : json(nullptr);
    c["deadline_attainment"] =
        st.weight_deadline > 0 ? json(st.weight_deadline_met / st.weight_deadline) : json(nullptr);
    classes.push_back(c);
  }
  j["jobs"] = {{"submitted", submitted},
               {"completed", completed},
               {"rejected", rejected},
               {"unfinished", unfinished},
               {"lost", lost}};
  j["classes"] = classes;

  json site_list = json::array();
  double energy = 0, busy_cores = 0, busy_gpus = 0, cores = 0, gpus = 0;
  SiteTotals all;
  const auto ratio_or_null = [](double a, double b) { return b > 0 ? json(a / b) : json(nullptr); };
  for (std::size_t i = 0; i < sites.size(); ++i) {
    const auto& t = sites[i];
    const auto& site = scenario_.sites[i];
    const auto fig = model::site_figures(scenario_, site);
    const double span = simulated_s > 0 ? simulated_s : std::numeric_limits<double>::quiet_NaN();
    site_list.push_back(
        {{"name", site.name},
         {"kind", model::to_string(site.kind)},
         {"city", site.city},
         {"jobs_completed", t.completed},
         {"cpu_utilization", t.cores_total > 0
                                 ? json(t.busy_core_s / (static_cast<double>(t.cores_total) * span))
                                 : json(nullptr)},
         {"gpu_utilization",
          t.gpus_total > 0 ? json(t.busy_gpu_s / (static_cast<double>(t.gpus_total) * span)) : json(nullptr)},
         {"it_energy_j", t.it_energy_j},
         {"mean_it_power_w", t.it_energy_j / span},
         {"it_load_utilization",
          ratio_or_null(t.it_energy_j / span, static_cast<double>(site.racks) * model::kStandardRackW)},
         {"facility_energy_j", t.facility_j},
         {"loss_energy_j", t.loss_j},
         {"cooling_energy_j", t.cooling_j},
         {"overhead_energy_j", t.overhead_j},
         {"pue", ratio_or_null(t.facility_j, t.it_sampled_j)},
         {"carbon_kg", t.carbon_kg},
         {"water_l", t.water_l},
         {"electricity_cost", t.cost},
         {"racks", site.racks},
         {"rack_occupancy", fig.occupancy},
         {"liquid_share", site.cooling.liquid_share},
         {"targets",
          energy::to_json(energy::evaluate_site(
              scenario_, site, t.it_sampled_j > 0 ? t.facility_j / t.it_sampled_j : std::nan("")))}});
    all.it_sampled_j += t.it_sampled_j;
    all.facility_j += t.facility_j;
    all.loss_j += t.loss_j;
    all.cooling_j += t.cooling_j;
    all.overhead_j += t.overhead_j;
    all.carbon_kg += t.carbon_kg;
    all.water_l += t.water_l;
    all.cost += t.cost;
    energy += t.it_energy_j;
    busy_cores += t.busy_core_s;
    busy_gpus += t.busy_gpu_s;
    cores += static_cast<double>(t.cores_total);
    gpus += static_cast<double>(t.gpus_total);
  }
  j["sites"] = site_list;
  const auto fig = model::scenario_figures(scenario_);
  j["totals"] = {
      {"it_energy_j", energy},
      {"mean_it_power_w", simulated_s > 0 ? energy / simulated_s : 0.0},
      {"cpu_utilization",
       cores > 0 && simulated_s > 0 ? json(busy_cores / (cores * simulated_s)) : json(nullptr)},
      {"gpu_utilization",
       gpus > 0 && simulated_s > 0 ? json(busy_gpus / (gpus * simulated_s)) : json(nullptr)},
      {"it_load_utilization", ratio_or_null(energy / std::max(simulated_s, 1e-300),
                                            static_cast<double>(fig.racks) * model::kStandardRackW)},
      {"facility_energy_j", all.facility_j},
      {"loss_energy_j", all.loss_j},
      {"cooling_energy_j", all.cooling_j},
      {"overhead_energy_j", all.overhead_j},
      {"pue", ratio_or_null(all.facility_j, all.it_sampled_j)},
      {"carbon_kg", all.carbon_kg},
      {"water_l", all.water_l},
      {"electricity_cost", all.cost},
      {"currency", scenario_.energy.tariff.currency},
      {"racks", fig.racks},
      {"rack_occupancy", fig.occupancy},
      {"liquid_share", fig.liquid_share},
      {"targets", energy::to_json(energy::evaluate_overall(
                      scenario_, all.it_sampled_j > 0 ? all.facility_j / all.it_sampled_j : std::nan("")))}};
  return j;
}

void RunMetrics::commit(const nlohmann::json& summary) {
  if (directory_.empty()) return;
  // The scenario as run (every default filled in, edits applied), so a run folder explains itself.
  io::OutputFile scenario((std::filesystem::path(directory_) / "scenario.json").string(), false);
  scenario.write(model::scenario_to_json(scenario_).dump(2));
  scenario.write("\n");
  io::OutputFile out((std::filesystem::path(directory_) / "summary.json").string(), false);
  out.write(summary.dump(2));
  out.write("\n");
  if (jobs_csv_) jobs_csv_->commit();
  timeseries_csv_->commit();
  scenario.commit();
  out.commit();  // last: a folder with summary.json is a complete run
}

}  // namespace suanli::metrics
