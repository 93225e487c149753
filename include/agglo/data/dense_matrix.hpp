// agglo::data — a dense row-major matrix of doubles: the region × industry employment matrix,
// industry × industry relatedness. Kept free of third-party types so it can appear in public
// headers; algorithms map it into Eigen (Eigen::Map) where they need linear algebra.
#pragma once

#include <cstddef>
#include <vector>

#include "agglo/core/large_allocator.hpp"

namespace agglo::data {

class DenseMatrix {
 public:
  DenseMatrix() = default;
  DenseMatrix(std::size_t rows, std::size_t cols, double fill = 0.0)
      : rows_(rows), cols_(cols), v_(rows * cols, fill) {}
  // Gives the matrix a new shape, keeping the storage when it is large enough (values are left
  // as they were: callers overwrite every entry). Reusing one buffer across the years of a
  // panel avoids re-faulting hundreds of megabytes of fresh pages each year.
  void reshape(std::size_t rows, std::size_t cols) {
    rows_ = rows;
    cols_ = cols;
    v_.resize(rows * cols);
  }
  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  double& operator()(std::size_t r, std::size_t c) { return v_[r * cols_ + c]; }
  double operator()(std::size_t r, std::size_t c) const { return v_[r * cols_ + c]; }
  double* row(std::size_t r) { return v_.data() + r * cols_; }
  const double* row(std::size_t r) const { return v_.data() + r * cols_; }
  double* data() { return v_.data(); }
  const double* data() const { return v_.data(); }
  std::vector<double> row_sums() const;
  std::vector<double> col_sums() const;
  double sum() const;

 private:
  std::size_t rows_ = 0, cols_ = 0;
  std::vector<double, core::LargeAllocator<double>> v_;  // huge pages for big matrices
};

}  // namespace agglo::data
