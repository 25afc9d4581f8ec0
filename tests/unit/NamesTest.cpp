// The enum name tables: every value named once, names read back, to_string and the reader use them.
#include <gtest/gtest.h>

#include <cctype>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "TestScenarios.hpp"
#include "io/Error.hpp"
#include "model/Names.hpp"
#include "model/ScenarioReader.hpp"

namespace {

using namespace suanli::model;

/// Every value 0..N-1 of E appears once (the enums count from 0 without gaps), every name once, in
/// snake_case; name_of, value_named and to_string agree.
template <typename E>
void check_table() {
  SCOPED_TRACE(std::string(EnumNames<E>::key));
  std::set<int> values;
  std::set<std::string_view> names;
  for (const auto& [name, value] : EnumNames<E>::table) {
    EXPECT_TRUE(values.insert(static_cast<int>(value)).second) << name << ": a value named twice";
    EXPECT_TRUE(names.insert(name).second) << name << ": a name given twice";
    EXPECT_FALSE(name.empty());
    for (const char c : name) EXPECT_TRUE(std::islower(static_cast<unsigned char>(c)) || c == '_') << name;
    EXPECT_EQ(name_of(value), name);
    EXPECT_EQ(to_string(value), name);
    EXPECT_EQ(value_named<E>(name), value);
  }
  const int n = static_cast<int>(std::size(EnumNames<E>::table));
  EXPECT_EQ(*values.begin(), 0);
  EXPECT_EQ(*values.rbegin(), n - 1) << "a value of the enumeration has no name";
  EXPECT_EQ(value_named<E>("no_such_name"), std::nullopt);
  EXPECT_EQ(name_of(static_cast<E>(n)), "?");
}

TEST(EnumNames, EveryTableNamesEveryValueOnce) {
#define SUANLI_CHECK_TABLE(E) check_table<E>();
  SUANLI_EACH_ENUM(SUANLI_CHECK_TABLE)
#undef SUANLI_CHECK_TABLE
}

TEST(EnumNames, JoinedNamesAreTheTableInOrder) {
  EXPECT_EQ(joined_names<HostGranularity>(), "server, rack, pod");
  EXPECT_EQ(names_of<CityRole>(), (std::vector<std::string>{"central", "regional"}));
}

TEST(EnumNames, TheReaderListsTheTableInItsError) {
  auto j = suanli::test::minimal_doc();
  j["platform"] = {{"host_granularity", "node"}};
  try {
    (void)scenario_from_json(j, "minimal.json", false, nullptr);
    FAIL() << "an unknown granularity was read";
  } catch (const suanli::io::UserError& e) {
    EXPECT_EQ(e.location(), "/platform/host_granularity");
    EXPECT_NE(e.message().find("expected one of " + joined_names<HostGranularity>()), std::string::npos)
        << e.message();
  }
}

}  // namespace
