#include "agglo/data/dense_matrix.hpp"

namespace agglo::data {

std::vector<double> DenseMatrix::row_sums() const {
  std::vector<double> s(rows_, 0.0);
  for (std::size_t r = 0; r < rows_; ++r)
    for (std::size_t c = 0; c < cols_; ++c) s[r] += v_[r * cols_ + c];
  return s;
}

std::vector<double> DenseMatrix::col_sums() const {
  std::vector<double> s(cols_, 0.0);
  for (std::size_t r = 0; r < rows_; ++r)
    for (std::size_t c = 0; c < cols_; ++c) s[c] += v_[r * cols_ + c];
  return s;
}

double DenseMatrix::sum() const {
  double s = 0;
  for (double x : v_) s += x;
  return s;
}

}  // namespace agglo::data
