// Parses Alibaba GPU pod rows: resource requests, QoS, phase and lifecycle times.
#include "workload/AlibabaGpuReader.hpp"

#include <vector>

#include "io/Format.hpp"

namespace suanli::workload {

namespace {

const std::vector<std::string> kRequired = {"name",          "cpu_milli",     "memory_mib", "num_gpu",
                                            "gpu_milli",     "qos",           "pod_phase",  "creation_time",
                                            "deletion_time", "scheduled_time"};

std::size_t column_of(const io::CsvReader& csv, const std::string& name) { return *csv.column(name); }

}  // namespace

AlibabaGpuReader::AlibabaGpuReader(std::string path)
    : csv_(std::move(path), kRequired),
      name_(column_of(csv_, "name")),
      cpu_milli_(column_of(csv_, "cpu_milli")),
      memory_mib_(column_of(csv_, "memory_mib")),
      num_gpu_(column_of(csv_, "num_gpu")),
      gpu_milli_(column_of(csv_, "gpu_milli")),
      qos_(column_of(csv_, "qos")),
      phase_(column_of(csv_, "pod_phase")),
      creation_(column_of(csv_, "creation_time")),
      deletion_(column_of(csv_, "deletion_time")),
      scheduled_(column_of(csv_, "scheduled_time")),
      gpu_spec_(csv_.column("gpu_spec")) {}

int AlibabaGpuReader::count(std::size_t column) const {
  const std::string& text = (*row_)[column];
  const int value = csv_.lines().to_int(text, csv_.describe(column));
  if (value < 0) csv_.lines().fail(csv_.describe(column) + ": negative value " + text);
  return value;
}

double AlibabaGpuReader::time_s(std::size_t column) const {
  const std::string& text = (*row_)[column];
  const double value = csv_.lines().to_number(text, csv_.describe(column));
  if (value < 0) csv_.lines().fail(csv_.describe(column) + ": negative value " + text);
  return value;
}

std::optional<GpuPod> AlibabaGpuReader::next() {
  row_ = csv_.next();
  if (row_ == nullptr) return std::nullopt;
  const auto& row = *row_;
  const auto& lines = csv_.lines();

  GpuPod pod;
  pod.name = row[name_];
  if (pod.name.empty()) lines.fail(csv_.describe(name_) + ": empty pod name");
  pod.cpu_milli = count(cpu_milli_);
  pod.memory_mib = count(memory_mib_);
  pod.num_gpu = count(num_gpu_);
  pod.gpu_milli = count(gpu_milli_);
  if (pod.gpu_milli > 1000) {
    lines.fail(csv_.describe(gpu_milli_) + ": " + row[gpu_milli_] + " is more than one whole GPU (1000)");
  }
  if (gpu_spec_ && row[*gpu_spec_] != "nan") pod.gpu_spec = row[*gpu_spec_];
  pod.qos = row[qos_];
  pod.phase = row[phase_];
  pod.creation_s = time_s(creation_);
  pod.deletion_s = time_s(deletion_);
  pod.scheduled_s = row[scheduled_].empty() ? -1.0 : time_s(scheduled_);
  if (pod.creation_s < last_creation_s_) {
    lines.fail("creation time " + row[creation_] + " is before the previous pod's " +
               io::format_double(last_creation_s_) + " (pods must be in creation order)");
  }
  last_creation_s_ = pod.creation_s;
  if (pod.deletion_s < pod.creation_s) {
    lines.fail("deletion time " + row[deletion_] + " is before creation time " + row[creation_]);
  }
  if (pod.scheduled_s >= 0 && pod.scheduled_s < pod.creation_s) {
    lines.fail("scheduled time " + row[scheduled_] + " is before creation time " + row[creation_]);
  }
  return pod;
}

}  // namespace suanli::workload
