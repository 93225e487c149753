// agglo._agglo — the C++ side of the Python module: a thin front end over the api registry,
// like the CLI (DESIGN.md, "One facade, thin front ends"). It holds no algorithm:
//
//   operations()          the registry as plain data (names, docs, option specs), from which
//                         agglo/_api.py generates one Python function per operation
//   run(name, params, …)  parses and runs an operation exactly as the CLI does (params are
//                         the same text values), in a worker thread; the calling thread keeps
//                         the GIL free, polls for Ctrl-C (KeyboardInterrupt → the engine's
//                         cancellation) and reports progress to a Python callback
//   register_table(…)     an in-memory table (NumPy arrays) for io::read_table, as "mem://N"
//   RawResult             the engine's Result; numeric columns are NumPy views of its memory
//                         (no copy), text columns lists of str; write() renders it as the CLI's -o
//
// Only pybind11 2.10 API is used (Debian 12).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include <tbb/global_control.h>

#include "agglo/api/json_codec.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/data_dir.hpp"
#include "agglo/core/error.hpp"
#include "agglo/io/memory_table.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/progress.hpp"

#ifdef AGGLO_HAVE_GDAL
#include <cpl_vsi.h>
#endif

namespace py = pybind11;
using namespace agglo;

namespace {

// Raised for every engine error; agglo/_errors.py turns it into the matching subclass of
// agglo.Error (UsageError, InvalidInput, IoError, InternalError, Cancelled).
PyObject* g_engine_error = nullptr;

[[noreturn]] void raise_engine_error(const Error& e) {
  py::dict info;
  info["kind"] = static_cast<int>(e.kind());
  info["code"] = static_cast<int>(e.code());
  info["code_name"] = std::string(error_code_name(e.code()));
  info["message"] = e.message();
  info["hint"] = e.hint();
  info["text"] = std::string(e.what());
  info["file"] = e.where().file;
  info["line"] = e.where().line;
  info["column"] = e.where().column;
  info["column_name"] = e.where().column_name;
  info["is_row"] = e.where().is_row;
  PyErr_SetObject(g_engine_error, info.ptr());
  throw py::error_already_set();
}


py::list operations() {
  py::list out;
  for (const auto& op : api::Registry::global().all()) {
    py::dict d;
    d["name"] = op.name;
    d["summary"] = op.summary;
    d["description"] = op.description;
    d["examples"] = op.examples;
    d["output_doc"] = op.output_doc;
    py::list opts;
    for (const auto& o : op.options) {
      py::dict od;
      od["name"] = o.name;
      od["doc"] = o.doc;
      od["type"] = api::option_type_name(o.type);
      od["default"] = o.default_text;
      od["required"] = o.required;
      od["choices"] = o.choices;
      od["min"] = o.min ? py::cast(*o.min) : py::none();
      od["max"] = o.max ? py::cast(*o.max) : py::none();
      od["placeholder"] = o.placeholder();
      opts.append(od);
    }
    d["options"] = opts;
    out.append(d);
  }
  return out;
}

// The engine's Result, kept alive by the Python object; NumPy columns view its memory.
struct RawResult {
  api::Result result;
};

py::object column_values(const std::shared_ptr<RawResult>& self, std::size_t t, std::size_t c) {
  const auto& table = self->result.tables.at(t).second;
  const auto& col = table.columns().at(c);
  py::object base = py::cast(self);
  if (col.is_real()) {
    const auto& v = std::get<data::RealColumn>(col.values);
    // A view of the engine's memory (no copy), kept alive by the result object.
    return py::array_t<double>({v.size()}, {sizeof(double)}, v.data(), base);
  }
  if (col.is_integer()) {
    const auto& v = std::get<data::IntColumn>(col.values);
    return py::array_t<std::int64_t>({v.size()}, {sizeof(std::int64_t)}, v.data(), base);
  }
  const auto& v = std::get<data::TextColumn>(col.values);
  py::list out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    PyObject* s = PyUnicode_DecodeUTF8(v[i].data(), static_cast<Py_ssize_t>(v[i].size()), "replace");
    if (!s) throw py::error_already_set();
    PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i), s);
  }
  return std::move(out);
}

// Runs an operation with the GIL released in a worker thread. The calling thread wakes every
// 50 ms: it checks for signals (Ctrl-C raises KeyboardInterrupt there, in the main thread, as
// Python requires), asks the engine to cancel and waits for it, and calls `progress`.
std::shared_ptr<RawResult> run(const std::string& name, const std::map<std::string, std::string>& params,
                               std::uint64_t seed, int threads, bool names, const std::string& output,
                               py::object progress, py::object note) {
  const auto* op = api::Registry::global().find(name);
  if (!op) raise_engine_error(Error(ErrorKind::usage, ErrorCode::unknown_operation, "unknown operation '" + name + "'"));
  auto out = std::make_shared<RawResult>();
  api::Context ctx;
  ctx.seed = seed;
  ctx.threads = threads;
  ctx.names = names;
  ctx.output = output;
  ctx.quiet = true;
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  std::exception_ptr failure;
  std::vector<std::string> notes;
  ctx.note = [&](const std::string& msg) {
    std::lock_guard lock(mutex);
    notes.push_back(msg);
  };
  core::ParamMap pm(params.begin(), params.end());
  parallel::reset_cancel();
  std::thread worker([&] {
    try {
      // --threads as in the CLI (a process-wide cap while the call runs).
      std::optional<tbb::global_control> cap;
      if (threads > 0) cap.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
      out->result = op->run(pm, ctx);
    } catch (...) {
      failure = std::current_exception();
    }
    std::lock_guard lock(mutex);
    done = true;
    cv.notify_all();
  });
  bool interrupted = false;
  std::uint64_t last_generation = 0, last_done = 0;
  {
    py::gil_scoped_release release;
    for (;;) {
      {
        std::unique_lock lock(mutex);
        if (cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return done; })) break;
      }
      py::gil_scoped_acquire acquire;
      if (!interrupted && PyErr_CheckSignals() != 0) {
        // A KeyboardInterrupt (or another signal handler's exception) is pending: cancel the
        // engine, then re-raise it once the worker has unwound (it deletes its temporaries).
        interrupted = true;
        parallel::request_cancel();
        continue;
      }
      if (!progress.is_none()) {
        const auto s = parallel::progress_snapshot();
        if (s.active && (s.generation != last_generation || s.done != last_done)) {
          last_generation = s.generation;
          last_done = s.done;
          try {
            progress(s.label, s.done, s.total, s.unit);
          } catch (py::error_already_set&) {
            interrupted = true;  // a callback that raises stops the run, like Ctrl-C
            parallel::request_cancel();
            throw;
          }
        }
      }
      std::lock_guard lock(mutex);
      for (auto& n : notes)
        if (!note.is_none()) note(n);
      notes.clear();
    }
    worker.join();
  }
  parallel::reset_cancel();
  if (interrupted) throw py::error_already_set();  // the pending KeyboardInterrupt
  for (auto& n : notes)
    if (!note.is_none()) note(n);
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const Error& e) {
      raise_engine_error(e);
    } catch (const std::bad_alloc&) {
      raise_engine_error(Error(ErrorKind::internal, ErrorCode::internal_error, "out of memory"));
    } catch (const std::exception& e) {
      raise_engine_error(Error(ErrorKind::internal, ErrorCode::internal_error,
                               std::string(e.what()) + " (please report this as a bug)"));
    }
  }
  return out;
}

// An in-memory table from columns given as (name, kind, values[, mask]): kind "real"
// (float64 array), "integer" (int64 array, optional uint8 validity mask), "boolean" (uint8
// array, optional mask), "text" (object array or list of str / None), "categorical" (int64
// codes, −1 missing, then the list of categories). Nothing is copied: numeric arrays are
// referenced and text cells viewed; the handle keeps them alive until unregister_table().
struct TableRegistration {
  std::shared_ptr<io::MemoryTable> table;
  std::vector<py::object> keep;  // the arrays and strings whose memory the table views
  std::vector<PyObject*> refs;   // our own references to the viewed cells of object arrays
  std::string handle;
  TableRegistration() = default;
  TableRegistration(const TableRegistration&) = delete;
  TableRegistration& operator=(const TableRegistration&) = delete;
  ~TableRegistration() {
    // Destroyed with the GIL held (unregister_table is called from Python); at interpreter
    // shutdown the references are simply left.
    if (Py_IsInitialized())
      for (PyObject* o : refs) Py_DECREF(o);
  }
};
std::mutex g_reg_mutex;
std::map<std::string, std::unique_ptr<TableRegistration>> g_registrations;

// pandas' missing-value singletons (pd.NA, pd.NaT, and numpy's NaT), told by their type's
// name so that the module needs no pandas import: only objects that are not str, None or a
// float get here, so the string comparison is rare.
bool is_pandas_missing(PyObject* v) {
  const std::string_view type = Py_TYPE(v)->tp_name;
  if (type == "NAType" || type == "NaTType" || type == "pandas._libs.missing.NAType" ||
      type == "pandas._libs.tslibs.nattype.NaTType")
    return true;
  if (type == "numpy.datetime64" || type == "numpy.timedelta64") {
    const auto s = py::str(py::handle(v)).cast<std::string>();
    return s == "NaT";
  }
  return false;
}

std::string register_table(const std::string& label, std::size_t rows, const py::list& columns) {
  auto reg = std::make_unique<TableRegistration>();
  reg->table = std::make_shared<io::MemoryTable>();
  reg->table->label = label;
  reg->table->rows = rows;
  for (const auto& item : columns) {
    const auto t = item.cast<py::tuple>();
    io::MemoryColumn c;
    c.name = t[0].cast<std::string>();
    const auto kind = t[1].cast<std::string>();
    auto check_len = [&](std::size_t n) {
      if (n != rows) throw py::value_error("column '" + c.name + "' has " + std::to_string(n) + " values, the table " + std::to_string(rows));
    };
    if (kind == "real") {
      auto a = py::array_t<double, py::array::c_style | py::array::forcecast>::ensure(t[2]);
      if (!a) throw py::type_error("column '" + c.name + "': expected a float64 array");
      check_len(static_cast<std::size_t>(a.size()));
      c.type = io::MemoryColumn::Type::real;
      c.reals = a.data();
      reg->keep.push_back(a);
    } else if (kind == "integer" || kind == "boolean") {
      if (kind == "integer") {
        auto a = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(t[2]);
        if (!a) throw py::type_error("column '" + c.name + "': expected an int64 array");
        check_len(static_cast<std::size_t>(a.size()));
        c.type = io::MemoryColumn::Type::integer;
        c.integers = a.data();
        reg->keep.push_back(a);
      } else {
        auto a = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(t[2]);
        if (!a) throw py::type_error("column '" + c.name + "': expected a bool array");
        check_len(static_cast<std::size_t>(a.size()));
        c.type = io::MemoryColumn::Type::boolean;
        c.booleans = a.data();
        reg->keep.push_back(a);
      }
      if (t.size() > 3 && !t[3].is_none()) {
        auto m = py::array_t<std::uint8_t, py::array::c_style | py::array::forcecast>::ensure(t[3]);
        if (!m) throw py::type_error("column '" + c.name + "': expected a bool mask");
        check_len(static_cast<std::size_t>(m.size()));
        c.valid = m.data();
        reg->keep.push_back(m);
      }
    } else if (kind == "text" || kind == "categorical") {
      // Text cells become views onto the UTF-8 of the Python str objects (for ASCII strings,
      // CPython's own buffer; otherwise its cached UTF-8, which lives as long as the object),
      // so no string is copied. The values come as a NumPy object array (a pandas object
      // column's buffer: no Python list is built) or any sequence; the registration holds its
      // own reference to every cell, so later edits of the DataFrame cannot free a string the
      // engine still views. Walked as raw PyObject
      // pointers, with the GIL held. "categorical": int codes (−1 = missing) and the
      // categories, each category converted once (pandas Categorical, or factorized).
      c.type = io::MemoryColumn::Type::text;
      bool any_missing = false;
      std::vector<std::uint8_t> missing(rows, 0);
      auto convert = [&](PyObject* v, std::string_view& out) -> bool {  // false: a missing cell
        if (v == Py_None) return false;
        if (PyUnicode_Check(v)) {
          Py_ssize_t n = 0;
          const char* str = PyUnicode_AsUTF8AndSize(v, &n);
          if (!str) throw py::error_already_set();
          out = std::string_view(str, static_cast<std::size_t>(n));
          return true;
        }
        if (PyFloat_Check(v) && std::isnan(PyFloat_AS_DOUBLE(v))) return false;  // pandas' NaN
        if (is_pandas_missing(v)) return false;                                  // pd.NA, pd.NaT
        // Another object (a number in an object column): its str(), stored with the column.
        out = c.owned.emplace_back(py::str(py::handle(v)).cast<std::string>());
        return true;
      };
      auto mark = [&](std::size_t i) {
        missing[i] = 1;
        any_missing = true;
      };
      if (kind == "categorical") {
        // Codes and categories are the engine's dictionary encoding; the last dictionary
        // entry, "", stands for missing cells (code −1).
        auto codes = py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>::ensure(t[2]);
        if (!codes) throw py::type_error("column '" + c.name + "': expected int64 codes");
        check_len(static_cast<std::size_t>(codes.size()));
        const auto cats = py::list(t[3]);  // our own list: keeps the category objects alive
        reg->keep.push_back(cats);
        c.dictionary.resize(py::len(cats) + 1);
        std::vector<std::uint8_t> cat_ok(c.dictionary.size(), 0);
        for (std::size_t k = 0; k + 1 < c.dictionary.size(); ++k)
          cat_ok[k] = convert(py::object(cats[k]).ptr(), c.dictionary[k]);
        const auto none = static_cast<std::uint32_t>(c.dictionary.size() - 1);
        c.codes.resize(rows);
        const std::int64_t* code = codes.data();
        for (std::size_t i = 0; i < rows; ++i) {
          const std::int64_t k = code[i];
          if (k < 0 || static_cast<std::size_t>(k) >= c.dictionary.size() - 1 || !cat_ok[static_cast<std::size_t>(k)]) {
            c.codes[i] = none;
            mark(i);
          } else {
            c.codes[i] = static_cast<std::uint32_t>(k);
          }
        }
      } else if (py::isinstance<py::array>(t[2]) && py::array(t[2].cast<py::array>()).dtype().kind() == 'O') {
        auto a = t[2].cast<py::array>();
        if (a.ndim() != 1) throw py::type_error("column '" + c.name + "': expected a 1-d array");
        check_len(static_cast<std::size_t>(a.size()));
        // The registration takes its own reference to each distinct cell object and views its
        // text, so the cells stay alive whatever the caller does to its array afterwards.
        //
        // Dictionary encoding by object identity: pandas' CSV parser gives equal strings of
        // a chunk one shared object, so an industry or region column of 2 million cells holds
        // a few thousand objects. Each distinct pointer is converted (and referenced) once
        // and the cells become codes, without touching the objects again. When the column
        // turns out to be mostly distinct (ids), it falls back to one view per cell.
        const auto stride = a.strides(0);
        const char* base = static_cast<const char*>(a.data());
        auto cell = [&](std::size_t i) {
          PyObject* v = *reinterpret_cast<PyObject* const*>(base + static_cast<std::ptrdiff_t>(i) * stride);
          return v ? v : Py_None;  // an uninitialised object array (np.empty) holds NULLs
        };
        std::unordered_map<PyObject*, std::uint32_t> index;
        std::vector<std::uint8_t> dict_missing;
        const std::size_t first_ref = reg->refs.size();  // this column's references start here
        const std::size_t probe = std::min<std::size_t>(rows, 1u << 16);
        bool dictionary = rows >= 1024;
        if (dictionary) {
          c.codes.resize(rows);
          for (std::size_t i = 0; i < rows; ++i) {
            PyObject* v = cell(i);
            auto [it, fresh] = index.try_emplace(v, static_cast<std::uint32_t>(c.dictionary.size()));
            if (fresh) {
              Py_INCREF(v);
              reg->refs.push_back(v);
              c.dictionary.emplace_back();
              dict_missing.push_back(convert(v, c.dictionary.back()) ? 0 : 1);
              // Mostly distinct after the first 65,536 cells (or ever more than half): ids.
              if ((i + 1 == probe && c.dictionary.size() * 4 > probe) || c.dictionary.size() * 2 > rows) {
                dictionary = false;
                break;
              }
            }
            c.codes[i] = it->second;
            if (dict_missing[it->second]) mark(i);
          }
        }
        if (!dictionary) {
          for (std::size_t r = first_ref; r < reg->refs.size(); ++r) Py_DECREF(reg->refs[r]);
          reg->refs.resize(first_ref);
          c.codes = {};
          c.dictionary = {};
          std::fill(missing.begin(), missing.end(), 0);
          any_missing = false;
          c.texts.resize(rows);
          reg->refs.reserve(first_ref + rows);
          for (std::size_t i = 0; i < rows; ++i) {
            PyObject* v = cell(i);
            Py_INCREF(v);
            reg->refs.push_back(v);
            if (!convert(v, c.texts[i])) mark(i);
          }
        }
      } else {
        const auto seq = py::list(t[2]);  // our own list: keeps the objects alive
        check_len(static_cast<std::size_t>(py::len(seq)));
        reg->keep.push_back(seq);
        c.texts.resize(rows);
        std::size_t i = 0;
        for (const auto& v : seq) {
          if (!convert(v.ptr(), c.texts[i])) mark(i);
          ++i;
        }
      }
      if (any_missing) c.text_missing = std::move(missing);
    } else {
      throw py::value_error("unknown column kind '" + kind + "'");
    }
    reg->table->columns.push_back(std::move(c));
  }
  reg->handle = io::register_memory_table(reg->table);
  const std::string handle = reg->handle;
  std::lock_guard lock(g_reg_mutex);
  g_registrations[handle] = std::move(reg);
  return handle;
}

void unregister_table(const std::string& handle) {
  io::unregister_memory_table(handle);
  std::unique_ptr<TableRegistration> gone;
  {
    std::lock_guard lock(g_reg_mutex);
    auto it = g_registrations.find(handle);
    if (it == g_registrations.end()) return;
    gone = std::move(it->second);
    g_registrations.erase(it);
  }
  // `gone` releases its arrays here, with the GIL held (we are called from Python).
}

// GDAL's in-memory files, for GeoDataFrames (a GeoJSON or GeoPackage written to /vsimem/).
void vsimem_write(const std::string& path, const py::bytes& data) {
#ifdef AGGLO_HAVE_GDAL
  if (path.rfind("/vsimem/", 0) != 0) throw py::value_error("in-memory GDAL paths start with /vsimem/");
  const std::string bytes = data;
  VSILFILE* f = VSIFOpenL(path.c_str(), "wb");
  if (!f) throw py::value_error("cannot create " + path);
  const bool ok = VSIFWriteL(bytes.data(), 1, bytes.size(), f) == bytes.size();
  VSIFCloseL(f);
  if (!ok) throw py::value_error("cannot write " + path);
#else
  (void)path;
  (void)data;
  throw py::value_error("agglo was built without GDAL");
#endif
}

void vsimem_unlink(const std::string& path) {
#ifdef AGGLO_HAVE_GDAL
  if (path.rfind("/vsimem/", 0) == 0) VSIUnlink(path.c_str());
#else
  (void)path;
#endif
}

}  // namespace

PYBIND11_MODULE(_agglo, m) {
  m.doc() = "agglo's engine (use the agglo package, not this module)";
  g_engine_error = PyErr_NewException("agglo._agglo.EngineError", PyExc_RuntimeError, nullptr);
  m.add_object("EngineError", py::handle(g_engine_error));
  // Progress is drawn by Python (tqdm), never on stderr by the engine.
  parallel::set_progress_mode(parallel::ProgressMode::never);

  py::class_<RawResult, std::shared_ptr<RawResult>>(m, "RawResult")
      .def_property_readonly("table_names",
                             [](const RawResult& r) {
                               std::vector<std::string> n;
                               for (const auto& t : r.result.tables) n.push_back(t.first);
                               return n;
                             })
      .def("column_names",
           [](const RawResult& r, std::size_t t) {
             std::vector<std::string> n;
             for (const auto& c : r.result.tables.at(t).second.columns()) n.push_back(c.name);
             return n;
           })
      .def("rows", [](const RawResult& r, std::size_t t) { return r.result.tables.at(t).second.rows(); })
      .def("column", &column_values)
      .def_property_readonly("summary_json", [](const RawResult& r) { return r.result.summary_json; })
      .def_property_readonly("warnings", [](const RawResult& r) { return r.result.warnings; })
      .def_property_readonly("text", [](const RawResult& r) { return r.result.text; })
      .def_property_readonly("headline", [](const RawResult& r) { return r.result.headline; })
      .def_property_readonly("exit_code", [](const RawResult& r) { return r.result.exit_code; })
      .def_property_readonly("files", [](const RawResult& r) { return r.result.files; })
      .def_property_readonly("output_written", [](const RawResult& r) { return r.result.output_written; })
      .def("write",
           [](const RawResult& r, const std::string& path) {
             try {
               py::gil_scoped_release release;
               return api::write_result(r.result, path);
             } catch (const Error& e) {
               py::gil_scoped_acquire acquire;
               raise_engine_error(e);
             }
           });

  m.def("operations", &operations);
  m.def("run", &run, py::arg("name"), py::arg("params"), py::arg("seed"), py::arg("threads") = 0,
        py::arg("names") = true, py::arg("output") = "", py::arg("progress") = py::none(), py::arg("note") = py::none());
  m.def("register_table", &register_table);
  m.def("unregister_table", &unregister_table);
  m.def("vsimem_write", &vsimem_write);
  m.def("vsimem_unlink", &vsimem_unlink);
  m.def("set_data_dir", [](const std::string& d) { core::set_data_dir(d); });
  m.def("data_dir", [] { return core::data_dir(); });
  m.def("version", [] { return std::string(AGGLO_VERSION); });
  m.def("default_seed", [] { return core::Stream::default_seed; });
}
