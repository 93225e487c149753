// agglo::core — where the bundled data lives (code names, geography, reference tables).
#pragma once

#include <string>

namespace agglo::core {

// $AGGLO_DATA_DIR when set; else the data/ folder installed beside the program or the Python
// package (set by the front end with set_data_dir); else the source tree's data/ (compiled in).
std::string data_dir();
// Front ends that know where their bundled data is (the Python package) set it here.
void set_data_dir(std::string dir);

}  // namespace agglo::core
