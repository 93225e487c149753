// agglo::report — a self-contained HTML report: one file, no scripts or fonts fetched, plots
// as inline SVG, so it opens offline and can be mailed as it is.
#pragma once

#include <string>
#include <vector>

#include "agglo/data/table.hpp"

namespace agglo::report {

class HtmlReport {
 public:
  explicit HtmlReport(std::string title);
  void heading(const std::string& text, int level = 2);
  void paragraph(const std::string& text);              // text is escaped
  void facts(const std::vector<std::pair<std::string, std::string>>& items);  // a key/value list
  void table(const data::Table& t, std::size_t max_rows = 20, const std::string& caption = "");
  void raw(const std::string& html);                    // trusted HTML/SVG made by agglo
  std::string html() const;
  void save(const std::string& path) const;             // atomic write

 private:
  std::string title_;
  std::string body_;
};

std::string escape_html(const std::string& s);

// A dot map of lon/lat points (equirectangular, scaled to the points' extent, with the
// latitude stretch cos φ₀ so shapes are not squashed). Point radius grows with √size; colour
// by category (up to 10 categories, the rest grey). Returns an <svg> element.
std::string svg_point_map(const std::vector<double>& lon, const std::vector<double>& lat,
                          const std::vector<double>& size, const std::vector<std::string>& category,
                          const std::string& title, int width = 720, int height = 420);

// A horizontal bar chart of labelled values, largest first, at most `max_bars` of them (0 =
// all); non-finite values are left out. Returns an <svg> element.
std::string svg_bar_chart(const std::vector<std::string>& labels, const std::vector<double>& values,
                          const std::string& title, const std::string& unit, int width = 720,
                          std::size_t max_bars = 0);

// A node-link drawing from precomputed positions (e.g. a force layout): links as thin grey
// lines (`strong` ones darker), nodes as dots coloured by category like svg_point_map, the
// picture scaled to the positions' extent. Nodes with non-finite positions are left out.
std::string svg_network(const std::vector<double>& x, const std::vector<double>& y,
                        const std::vector<std::string>& category,
                        const std::vector<std::pair<std::size_t, std::size_t>>& links,
                        const std::vector<bool>& strong, const std::string& title, int width = 720,
                        int height = 560);

// Lines of y against x, one per named series (e.g. an order parameter swept up and down a
// control parameter), with axis labels and the x/y ranges printed. Returns an <svg> element.
std::string svg_line_chart(const std::vector<std::vector<double>>& x, const std::vector<std::vector<double>>& y,
                           const std::vector<std::string>& names, const std::string& title,
                           const std::string& x_label, const std::string& y_label, int width = 720,
                           int height = 320);

}  // namespace agglo::report
