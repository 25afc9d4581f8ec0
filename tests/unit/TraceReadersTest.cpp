// Trace readers: facts from the shipped SWF, Azure and Alibaba files, and one clear error per bad input.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "TestFiles.hpp"
#include "model/Error.hpp"
#include "workload/TraceReaders.hpp"

using suanli::model::UserError;
using suanli::workload::AlibabaGpuReader;
using suanli::workload::AzureInferenceReader;
using suanli::workload::GpuPod;
using suanli::workload::InferenceRequest;
using suanli::workload::SwfJob;
using suanli::workload::SwfReader;

namespace {

const std::string kData = SUANLI_SOURCE_DIR "/../shared/data";

using suanli::test::temp_dir;
using suanli::test::temp_path;
using suanli::test::write_gzip;
using suanli::test::write_temp;

/// Reads every record of `path` with Reader; returns the UserError's what() ("" if none).
template <typename Reader>
std::string error_of(const std::string& path) {
  try {
    Reader reader(path);
    while (reader.next()) {
    }
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

template <typename Reader>
std::size_t count_records(const std::string& path) {
  Reader reader(path);
  std::size_t n = 0;
  while (reader.next()) ++n;
  return n;
}

const std::string kSwfLine = "1 0 5 100 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n";

}  // namespace

// ---------------------------------------------------------------------------------------------
// SWF: real logs of the Parallel Workloads Archive.

TEST(SwfReader, KthSp2HeaderFirstJobAndCount) {
  SwfReader reader(kData + "/swf/KTH-SP2-1996-2.1-cln.swf.gz");
  EXPECT_EQ(reader.header().at("MaxProcs"), "100");
  EXPECT_EQ(reader.header().at("MaxNodes"), "100");
  EXPECT_EQ(reader.header().at("UnixStartTime"), "843480031");
  EXPECT_EQ(reader.header().at("Computer"), "IBM SP2");
  EXPECT_EQ(reader.header().at("Information"),
            "http://www.pdc.kth.se/\nhttp://www.cs.huji.ac.il/labs/parallel/workload/");

  const auto first = reader.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(reader.line(), 25u);  // 24 header lines
  EXPECT_EQ(first->id, 15);
  EXPECT_EQ(first->submit_s, 599850.0);
  EXPECT_EQ(first->wait_s, 192180.0);
  EXPECT_EQ(first->run_s, 3477.0);
  EXPECT_EQ(first->allocated_procs, 4);
  EXPECT_EQ(first->requested_procs, 4);
  EXPECT_EQ(first->procs(), 4);
  EXPECT_EQ(first->requested_time_s, 53940.0);
  EXPECT_EQ(first->status, 1);
  EXPECT_EQ(first->user, 12);
  EXPECT_EQ(first->queue, -1);
  EXPECT_EQ(first->partition, -1);

  std::size_t jobs = 1;
  int max_procs = first->procs();
  int max_requested = first->requested_procs;
  SwfJob last = *first;
  while (const auto job = reader.next()) {
    ++jobs;
    max_procs = std::max(max_procs, job->procs());
    max_requested = std::max(max_requested, job->requested_procs);
    last = *job;
  }
  EXPECT_EQ(jobs, 27'992u);
  EXPECT_EQ(max_procs, 100);
  EXPECT_EQ(max_requested, 100);
  EXPECT_EQ(last.id, 28'490);
  EXPECT_EQ(last.submit_s, 29'363'618.0);
  EXPECT_FALSE(reader.next());
}

TEST(SwfReader, NasaIpscCountAndProcessors) {
  SwfReader reader(kData + "/swf/NASA-iPSC-1993-3.1-cln.swf.gz");
  EXPECT_EQ(reader.header().at("MaxProcs"), "128");
  EXPECT_EQ(reader.header().at("Queue"), "0  interactive\n1  batch");
  std::size_t jobs = 0;
  int max_procs = 0;
  while (const auto job = reader.next()) {
    ++jobs;
    max_procs = std::max(max_procs, job->procs());
  }
  EXPECT_EQ(jobs, 18'239u);
  EXPECT_EQ(max_procs, 128);
}

TEST(SwfReader, CurieSubsetHasNoHeader) {
  SwfReader reader(kData + "/swf/CEA-Curie-2011-2.1-cln-b1.swf.gz");
  EXPECT_TRUE(reader.header().empty());
  const auto first = reader.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, 477'353);
  EXPECT_EQ(first->submit_s, 43'603'464.0);
  EXPECT_EQ(first->allocated_procs, 77'248);
  EXPECT_EQ(first->requested_procs, 4'828);
  EXPECT_EQ(first->partition, 10);
  EXPECT_EQ(reader.line(), 1u);
  std::size_t jobs = 1;
  while (reader.next()) ++jobs;
  EXPECT_EQ(jobs, 36'465u);
}

TEST(SwfReader, EmptyFileAndCommentsOnlyHaveNoJobs) {
  SwfReader empty(write_temp("empty.swf", ""));
  EXPECT_TRUE(empty.header().empty());
  EXPECT_FALSE(empty.next());
  SwfReader header_only(write_temp("header-only.swf", "; MaxProcs: 8\n;\n"));
  EXPECT_EQ(header_only.header().at("MaxProcs"), "8");
  EXPECT_FALSE(header_only.next());
}

TEST(SwfReader, PlainFileWithCrlfBlankLinesAndMidFileComments) {
  const auto path = write_temp(
      "plain.swf", "; MaxProcs: 8\r\n; Note: first\r\n; Note: second\r\n\r\n" +
                       std::string("1\t0  5 100 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\r\n") +
                       "; a comment between jobs\n\n" + "2 0 -1 -1 -1 2.5 -1 8 -1 -1 0 3 3 -1 -1 -1 -1 -1");
  SwfReader reader(path);
  EXPECT_EQ(reader.header().at("Note"), "first\nsecond");
  const auto a = reader.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(reader.line(), 5u);
  EXPECT_EQ(a->procs(), 4);
  const auto b = reader.next();
  ASSERT_TRUE(b);
  EXPECT_EQ(reader.line(), 8u);
  EXPECT_EQ(b->submit_s, 0.0);  // equal submit times are in order
  EXPECT_EQ(b->run_s, -1.0);
  EXPECT_EQ(b->procs(), 8);  // allocated unknown: the request
  EXPECT_FALSE(reader.next());
}

TEST(SwfReader, GzipAndPlainGiveTheSameJobs) {
  const std::string text = "; MaxProcs: 8\n" + kSwfLine + "2 7 1 50 2 -1 -1 2 60 -1 1 4 4 -1 1 2 -1 -1\n";
  SwfReader plain(write_temp("same.swf", text));
  SwfReader gzip(write_gzip("same.swf.gz", text));
  EXPECT_EQ(gzip.header(), plain.header());
  for (int i = 0; i < 2; ++i) {
    const auto p = plain.next();
    const auto g = gzip.next();
    ASSERT_TRUE(p && g);
    EXPECT_EQ(p->id, g->id);
    EXPECT_EQ(p->submit_s, g->submit_s);
    EXPECT_EQ(p->queue, g->queue);
    EXPECT_EQ(p->partition, g->partition);
  }
  EXPECT_FALSE(gzip.next());
}

struct BadInput {
  const char* name;
  std::string content;
  std::string expected;  // what() after "FILE: "
};

/// The GoogleTest case name of a bad input ("out-of-order" -> "out_of_order").
std::string case_name(const testing::TestParamInfo<BadInput>& param) {
  std::string name = param.param.name;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

class SwfBadInput : public testing::TestWithParam<BadInput> {};

TEST_P(SwfBadInput, ThrowsUserErrorNamingFileAndLine) {
  const auto& bad = GetParam();
  const auto path = write_temp(std::string(bad.name) + ".swf", bad.content);
  EXPECT_EQ(error_of<SwfReader>(path), path + ": " + bad.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Catalogue, SwfBadInput,
    testing::Values(
        BadInput{"truncated",
                 "; MaxProcs: 8\n" + kSwfLine + "2 10 5 100 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1\n",
                 "line 3: expected 18 fields, got 17"},
        BadInput{"cut-mid-line", kSwfLine + "2 10 5 1", "line 2: expected 18 fields, got 4"},
        BadInput{"too-many-fields", "1 0 5 100 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1 7\n",
                 "line 1: expected 18 fields, got 19"},
        BadInput{"text-in-number", "1 0 5 abc 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n",
                 "line 1: field 4 (run time): expected a number, got \"abc\""},
        BadInput{"nan", "1 0 5 nan 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n",
                 "line 1: field 4 (run time): expected a finite number, got \"nan\""},
        BadInput{"inf", "1 0 inf 100 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n",
                 "line 1: field 3 (wait time): expected a finite number, got \"inf\""},
        BadInput{"negative-run-time", "\n\n1 0 5 -5 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n",
                 "line 3: negative run time -5 (only -1, meaning unknown, may be negative)"},
        BadInput{"fractional-procs", "1 0 5 100 4.5 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n",
                 "line 1: field 5 (allocated processors): expected a whole number, got \"4.5\""},
        BadInput{"out-of-order",
                 "1 200 5 100 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n"
                 "2 100 5 100 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n",
                 "line 2: submit time 100 is before the previous job's 200 (jobs must be in submit order)"},
        BadInput{"unknown-submit", "1 -1 5 100 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n",
                 "line 1: submit time unknown (-1): a job cannot be replayed without it"},
        BadInput{"bad-status", "1 0 5 100 4 -1 -1 4 200 -1 9 3 3 -1 -1 -1 -1 -1\n",
                 "line 1: field 11 (status): 9 is not a status (1 completed, 0 failed, 5 cancelled, 2-4 "
                 "checkpoint parts, -1 unknown)"},
        BadInput{"huge-procs", "1 0 5 100 99999999999 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n",
                 "line 1: field 5 (allocated processors): number \"99999999999\" out of range"},
        BadInput{"binary", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16),
                 "line 1: not a text file: byte 0x89 at column 1 is not valid UTF-8"},
        BadInput{"nul-byte", kSwfLine + std::string("2 0 5\0 100", 10),
                 "line 2: not a text file: control byte 0x00 at column 6"},
        BadInput{"bad-utf8-header", "; Acknowledge: Jos\xE9\n",
                 "line 1: not a text file: byte 0xe9 at column 19 starts an invalid UTF-8 sequence"}),
    case_name);

TEST(SwfReader, MissingFileAndDirectoryAreNamed) {
  const auto missing = temp_path("no-such.swf");
  std::filesystem::remove(missing);
  EXPECT_EQ(error_of<SwfReader>(missing), missing + ": cannot open: no such file");
  const auto dir = temp_dir("a-directory.swf");
  EXPECT_EQ(error_of<SwfReader>(dir), dir + ": is a directory, expected a file");
}

TEST(SwfReader, CorruptGzipIsAUserError) {
  // A gzip header followed by bytes that are not a deflate stream.
  const auto path = write_temp("corrupt.swf.gz",
                               std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xff\xff\xff\xff", 14));
  const auto error = error_of<SwfReader>(path);
  EXPECT_TRUE(error.starts_with(path + ": line 1: cannot read: corrupt gzip data (")) << error;
}

TEST(SwfReader, TruncatedGzipIsAUserError) {
  std::string text;
  for (int i = 1; i <= 2000; ++i) {
    text +=
        std::to_string(i) + " " + std::to_string(i * 10) + " 5 100 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n";
  }
  const auto whole = write_gzip("whole.swf.gz", text);
  std::ifstream in(whole, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto path = write_temp("truncated.swf.gz", bytes.substr(0, bytes.size() / 2));
  const auto error = error_of<SwfReader>(path);
  EXPECT_TRUE(error.starts_with(path + ": line ")) << error;
  EXPECT_TRUE(error.ends_with(": cannot read: corrupt gzip data (unexpected end of file)")) << error;
}

TEST(SwfReader, GzipBombIsRefusedWhenOpened) {
  // 16 MiB of one valid line compress about 1000 times: over the 50x bound past 8 MiB.
  const std::string line = "1 0 5 100 4 -1 -1 4 200 -1 1 3 3 -1 -1 -1 -1 -1\n";
  std::string text;
  while (text.size() < (16u << 20)) text += line;
  const auto bomb = write_gzip("bomb.swf.gz", text);
  const auto error = error_of<SwfReader>(bomb);
  EXPECT_TRUE(error.starts_with(bomb + ": gzip data expand more than 50 times")) << error;
  // The shipped logs expand 6 to 8 times and open as before.
  EXPECT_NO_THROW(SwfReader(kData + "/swf/KTH-SP2-1996-2.1-cln.swf.gz"));
}

TEST(LineReader, OnlyRegularFilesAreRead) {
  const auto fifo = std::filesystem::temp_directory_path() / ("suanli-fifo-" + std::to_string(::getpid()));
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(error_of<SwfReader>(fifo.string()),
            fifo.string() +
                ": is not a regular file (a device, pipe or socket); give a file");  // no writer: would block
  std::filesystem::remove(fifo);
  EXPECT_EQ(error_of<SwfReader>("/dev/zero"),
            "/dev/zero: is not a regular file (a device, pipe or socket); give a file");
}

// ---------------------------------------------------------------------------------------------
// Azure LLM inference trace.

TEST(AzureInferenceReader, ConversationTraceFirstRowsAndCount) {
  AzureInferenceReader reader(kData + "/inference/AzureLLMInferenceTrace_conv.csv");
  const auto first = reader.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(reader.line(), 2u);
  EXPECT_EQ(first->t_s, 0.0);
  EXPECT_EQ(first->context_tokens, 374);
  EXPECT_EQ(first->generated_tokens, 44);
  const auto second = reader.next();
  ASSERT_TRUE(second);
  EXPECT_NEAR(second->t_s, 4.3145790, 1e-9);  // 18:15:50.9951690 - 18:15:46.6805900
  EXPECT_EQ(second->context_tokens, 396);
  EXPECT_EQ(second->generated_tokens, 109);
  std::size_t rows = 2;
  InferenceRequest last = *second;
  while (const auto request = reader.next()) {
    ++rows;
    last = *request;
  }
  EXPECT_EQ(rows, 19'366u);
  // Last row 2023-11-16 19:14:08.4025270: 58 min 21.7219370 s after the first.
  EXPECT_NEAR(last.t_s, 3501.7219370, 1e-6);
  EXPECT_EQ(last.context_tokens, 197);
  EXPECT_EQ(last.generated_tokens, 183);
}

TEST(AzureInferenceReader, CodeTraceCount) {
  EXPECT_EQ(count_records<AzureInferenceReader>(kData + "/inference/AzureLLMInferenceTrace_code.csv"),
            8'819u);
}

TEST(AzureInferenceReader, ColumnsByNameAcrossMidnightAndLeapDay) {
  const auto path = write_temp("reordered.csv",
                               "\xEF\xBB\xBFGeneratedTokens,extra,TIMESTAMP,ContextTokens\r\n"
                               "7,x,2024-02-28 23:59:59.9,10\r\n"
                               "8,y,2024-02-29 00:00:00.1,11\r\n"
                               "9,z,2024-03-01 00:00:00,12\r\n"
                               "\r\n");
  AzureInferenceReader reader(path);
  const auto a = reader.next();
  const auto b = reader.next();
  const auto c = reader.next();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->generated_tokens, 7);
  EXPECT_EQ(a->context_tokens, 10);
  EXPECT_NEAR(b->t_s, 0.2, 1e-12);
  EXPECT_NEAR(c->t_s, 86'400.1, 1e-9);
  EXPECT_FALSE(reader.next());
}

TEST(AzureInferenceReader, DaysFromCivil) {
  EXPECT_EQ(suanli::workload::days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(suanli::workload::days_from_civil(2000, 3, 1), 11'017);
  EXPECT_EQ(suanli::workload::days_from_civil(2023, 11, 16), 19'677);
  EXPECT_EQ(suanli::workload::days_from_civil(1969, 12, 31), -1);
}

class AzureBadInput : public testing::TestWithParam<BadInput> {};

TEST_P(AzureBadInput, ThrowsUserErrorNamingFileAndLine) {
  const auto& bad = GetParam();
  const auto path = write_temp(std::string(bad.name) + ".csv", bad.content);
  EXPECT_EQ(error_of<AzureInferenceReader>(path), path + ": " + bad.expected);
}

const std::string kAzureHeader = "TIMESTAMP,ContextTokens,GeneratedTokens\n";

INSTANTIATE_TEST_SUITE_P(
    Catalogue, AzureBadInput,
    testing::Values(
        BadInput{"empty", "", "line 1: empty file, expected a header row naming the columns"},
        BadInput{"no-header", "2023-11-16 18:15:46.6805900,374,44\n",
                 "line 1: missing column \"TIMESTAMP\" (the header row names: 2023-11-16 18:15:46.6805900, "
                 "374, 44)"},
        BadInput{"truncated", kAzureHeader + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:4",
                 "line 3: expected 3 fields, got 1"},
        BadInput{"too-many-fields", kAzureHeader + "2023-11-16 18:15:46.6805900,374,44,1\n",
                 "line 2: expected 3 fields, got 4"},
        BadInput{"text-in-number", kAzureHeader + "2023-11-16 18:15:46.6805900,abc,44\n",
                 "line 2: field 2 (ContextTokens): expected a number, got \"abc\""},
        BadInput{"nan", kAzureHeader + "2023-11-16 18:15:46.6805900,374,NaN\n",
                 "line 2: field 3 (GeneratedTokens): expected a finite number, got \"NaN\""},
        BadInput{"negative", kAzureHeader + "2023-11-16 18:15:46.6805900,-374,44\n",
                 "line 2: negative ContextTokens -374"},
        BadInput{"fractional", kAzureHeader + "2023-11-16 18:15:46.6805900,374,4.5\n",
                 "line 2: field 3 (GeneratedTokens): expected a whole number, got \"4.5\""},
        BadInput{"out-of-order",
                 kAzureHeader + "2023-11-16 18:15:46.6805900,374,44\n2023-11-16 18:15:46.6805899,1,1\n",
                 "line 3: timestamp 2023-11-16 18:15:46.6805899 is before the previous row's 2023-11-16 "
                 "18:15:46.6805900 (rows must be in time order)"},
        BadInput{"bad-month", kAzureHeader + "2023-13-16 18:15:46,374,44\n",
                 "line 2: field 1 (TIMESTAMP): month 13 is not 1-12, got \"2023-13-16 18:15:46\""},
        BadInput{"not-leap", kAzureHeader + "2023-02-29 18:15:46,374,44\n",
                 "line 2: field 1 (TIMESTAMP): day 29 is not 1-28, got \"2023-02-29 18:15:46\""},
        BadInput{"eight-fraction-digits", kAzureHeader + "2023-11-16 18:15:46.68059001,374,44\n",
                 "line 2: field 1 (TIMESTAMP): expected a date-time YYYY-MM-DD HH:MM:SS.fffffff (at most 7 "
                 "fraction digits), got \"2023-11-16 18:15:46.68059001\""},
        BadInput{"unix-seconds", kAzureHeader + "1700158546,374,44\n",
                 "line 2: field 1 (TIMESTAMP): expected a date-time YYYY-MM-DD HH:MM:SS.fffffff, got "
                 "\"1700158546\""},
        BadInput{"unterminated-quote", kAzureHeader + "\"2023-11-16 18:15:46,374,44\n",
                 "line 2: field 1: unterminated quoted field"},
        BadInput{"binary",
                 std::string("\x7f"
                             "ELF\x02\x01\x01\0\0\0",
                             10),
                 "line 1: not a text file: control byte 0x7f at column 1"},
        BadInput{"corrupt-gzip", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", 17),
                 "line 1: cannot read: corrupt gzip data (invalid block type)"}),
    case_name);

TEST(AzureInferenceReader, MissingFileAndDirectoryAreNamed) {
  const auto missing = temp_path("no-such.csv");
  std::filesystem::remove(missing);
  EXPECT_EQ(error_of<AzureInferenceReader>(missing), missing + ": cannot open: no such file");
  const auto dir = temp_dir("a-directory.csv");
  EXPECT_EQ(error_of<AzureInferenceReader>(dir), dir + ": is a directory, expected a file");
}

// ---------------------------------------------------------------------------------------------
// Alibaba GPU pods.

TEST(AlibabaGpuReader, OpenbDefaultPodsInCreationOrder) {
  AlibabaGpuReader reader(kData + "/gpu/openb_pod_list_default.csv");
  const auto first = reader.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->name, "openb-pod-0000");
  EXPECT_EQ(first->cpu_milli, 12'000);
  EXPECT_EQ(first->memory_mib, 16'384);
  EXPECT_EQ(first->num_gpu, 1);
  EXPECT_EQ(first->gpu_milli, 1000);
  EXPECT_EQ(first->gpu_spec, "");
  EXPECT_EQ(first->qos, "LS");
  EXPECT_EQ(first->phase, "Running");
  EXPECT_EQ(first->creation_s, 0.0);
  EXPECT_EQ(first->deletion_s, 12'537'496.0);
  EXPECT_EQ(first->scheduled_s, 0.0);
  std::size_t pods = 1;
  std::size_t never_scheduled = 0;
  std::size_t cpu_only = 0;
  GpuPod last = *first;
  while (const auto pod = reader.next()) {
    ++pods;
    if (pod->scheduled_s < 0) {
      ++never_scheduled;
      EXPECT_EQ(pod->phase, "Pending");
    }
    if (pod->num_gpu == 0) ++cpu_only;
    last = *pod;
  }
  EXPECT_EQ(pods, 8'152u);
  EXPECT_EQ(reader.line(), 8'153u);
  EXPECT_EQ(never_scheduled, 897u);
  EXPECT_EQ(cpu_only, 1'088u);
  EXPECT_EQ(last.name, "openb-pod-8151");
  EXPECT_EQ(last.phase, "Failed");
  EXPECT_EQ(last.scheduled_s, 12'901'762.0);
}

TEST(AlibabaGpuReader, ColumnsByNameQuotesAndOptionalGpuSpec) {
  const auto path = write_gzip(
      "pods.csv.gz",
      "scheduled_time,deletion_time,creation_time,pod_phase,qos,gpu_spec,gpu_milli,num_gpu,memory_mib,"
      "cpu_milli,name\n"
      ",20,10,Pending,BE,nan,500,1,1024,2000,\"pod, \"\"a\"\"\"\n"
      "12,30,10,Running,LS,V100M16|V100M32,1000,8,4096,8000,b\n");
  AlibabaGpuReader reader(path);
  const auto a = reader.next();
  const auto b = reader.next();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->name, "pod, \"a\"");
  EXPECT_EQ(a->gpu_spec, "");
  EXPECT_EQ(a->scheduled_s, -1.0);
  EXPECT_EQ(a->cpu_milli, 2000);
  EXPECT_EQ(b->gpu_spec, "V100M16|V100M32");
  EXPECT_EQ(b->num_gpu, 8);
  EXPECT_EQ(b->scheduled_s, 12.0);
  EXPECT_FALSE(reader.next());

  AlibabaGpuReader without_spec(write_temp(
      "pods-no-spec.csv",
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,qos,pod_phase,creation_time,deletion_time,scheduled_time\n"
      "p,1,1,0,0,BE,Running,0,1,0\n"));
  const auto p = without_spec.next();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->gpu_spec, "");
}

class GpuBadInput : public testing::TestWithParam<BadInput> {};

TEST_P(GpuBadInput, ThrowsUserErrorNamingFileAndLine) {
  const auto& bad = GetParam();
  const auto path = write_temp(std::string(bad.name) + ".pods.csv", bad.content);
  EXPECT_EQ(error_of<AlibabaGpuReader>(path), path + ": " + bad.expected);
}

const std::string kPodHeader =
    "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,"
    "scheduled_time\n";
const std::string kPodRow = "openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0\n";

INSTANTIATE_TEST_SUITE_P(
    Catalogue, GpuBadInput,
    testing::Values(
        BadInput{"empty", "", "line 1: empty file, expected a header row naming the columns"},
        BadInput{
            "missing-column",
            "name,cpu_milli,memory_mib,num_gpu,gpu_milli,qos,pod_phase,creation_time,scheduled_time\n",
            "line 1: missing column \"deletion_time\" (the header row names: name, cpu_milli, memory_mib, "
            "num_gpu, gpu_milli, qos, pod_phase, creation_time, scheduled_time)"},
        BadInput{"duplicate-column", "name,name\n", "line 1: column \"name\" appears twice in the header"},
        BadInput{"truncated", kPodHeader + kPodRow + "openb-pod-0001,6000,12288,1,460,,LS,Runn",
                 "line 3: expected 11 fields, got 8"},
        BadInput{"text-in-number", kPodHeader + "openb-pod-0000,12k,16384,1,1000,,LS,Running,0,12537496,0\n",
                 "line 2: field 2 (cpu_milli): expected a number, got \"12k\""},
        BadInput{"nan-time", kPodHeader + "openb-pod-0000,12000,16384,1,1000,,LS,Running,nan,12537496,0\n",
                 "line 2: field 9 (creation_time): expected a finite number, got \"nan\""},
        BadInput{"negative-memory", kPodHeader + "openb-pod-0000,12000,-16384,1,1000,,LS,Running,0,1,0\n",
                 "line 2: field 3 (memory_mib): negative value -16384"},
        BadInput{"fractional-gpus", kPodHeader + "openb-pod-0000,12000,16384,1.5,1000,,LS,Running,0,1,0\n",
                 "line 2: field 4 (num_gpu): expected a whole number, got \"1.5\""},
        BadInput{"gpu-milli", kPodHeader + "openb-pod-0000,12000,16384,1,1500,,LS,Running,0,1,0\n",
                 "line 2: field 5 (gpu_milli): 1500 is more than one whole GPU (1000)"},
        BadInput{
            "out-of-order",
            kPodHeader + "a,1,1,0,0,,BE,Running,427061,500000,427061\nb,1,1,0,0,,BE,Running,0,5,0\n",
            "line 3: creation time 0 is before the previous pod's 427061 (pods must be in creation order)"},
        BadInput{"deleted-before-created", kPodHeader + "a,1,1,0,0,,BE,Running,100,50,100\n",
                 "line 2: deletion time 50 is before creation time 100"},
        BadInput{"scheduled-before-created", kPodHeader + "a,1,1,0,0,,BE,Running,100,150,99\n",
                 "line 2: scheduled time 99 is before creation time 100"},
        BadInput{"empty-name", kPodHeader + ",1,1,0,0,,BE,Running,100,150,100\n",
                 "line 2: field 1 (name): empty pod name"},
        BadInput{"binary", kPodHeader + std::string("\0\0\0\0", 4) + kPodRow,
                 "line 2: not a text file: control byte 0x00 at column 1"}),
    case_name);

TEST(AlibabaGpuReader, MissingFileAndDirectoryAreNamed) {
  const auto missing = temp_path("no-such-pods.csv");
  std::filesystem::remove(missing);
  EXPECT_EQ(error_of<AlibabaGpuReader>(missing), missing + ": cannot open: no such file");
  const auto dir = temp_dir("a-directory-pods.csv");
  EXPECT_EQ(error_of<AlibabaGpuReader>(dir), dir + ": is a directory, expected a file");
}
