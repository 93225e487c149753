// MPI session, rank/size, gather of byte buffers, job abort; see include/agglo/parallel/mpi.hpp.
//
// This is the only file that includes <mpi.h>. Built without MPI (AGGLO_HAVE_MPI undefined),
// every function takes its one-process meaning, so callers never need an #ifdef.
#include "agglo/parallel/mpi.hpp"

#include <fmt/format.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "agglo/core/error.hpp"

#ifdef AGGLO_HAVE_MPI
// Only the C API is used; skip the deprecated C++ bindings (and their warnings).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace agglo::parallel::mpi {

namespace {
bool g_active = false;  // set by Session while MPI is open
int g_rank = 0, g_size = 1;
}  // namespace

bool available() noexcept {
#ifdef AGGLO_HAVE_MPI
  return true;
#else
  return false;
#endif
}

bool launched_by_mpi() noexcept {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"})
    if (std::getenv(var)) return true;
  return false;
}

Session::Session(int& argc, char**& argv) {
#ifdef AGGLO_HAVE_MPI
  if (!launched_by_mpi()) return;
  int provided = 0;
  // FUNNELED: only the main thread calls MPI; TBB workers compute, the main thread communicates.
  MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &g_size);
  g_active = true;
#else
  (void)argc;
  (void)argv;
#endif
}

Session::~Session() {
#ifdef AGGLO_HAVE_MPI
  if (g_active) MPI_Finalize();
#endif
  g_active = false;
  g_rank = 0;
  g_size = 1;
}

bool active() noexcept { return g_active; }
int rank() noexcept { return g_rank; }
int size() noexcept { return g_size; }

void barrier() {
#ifdef AGGLO_HAVE_MPI
  if (g_active) MPI_Barrier(MPI_COMM_WORLD);
#endif
}

std::vector<std::vector<std::uint8_t>> gather_to_root(const std::vector<std::uint8_t>& local) {
  if (!g_active || g_size == 1) return {local};
#ifdef AGGLO_HAVE_MPI
  if (local.size() > static_cast<std::size_t>(INT_MAX))
    throw Error(ErrorKind::internal, ErrorCode::internal_error,
                fmt::format("rank {} has {} bytes of results to gather; MPI counts stop at 2 GiB", g_rank, local.size()),
                {}, "split the sweep into smaller runs");
  // Two steps: every rank's byte count to rank 0, then the bytes themselves at the offsets the
  // counts give (MPI_Gatherv), so buffers of any mix of sizes arrive in rank order.
  int n = static_cast<int>(local.size());
  std::vector<int> counts(g_rank == 0 ? g_size : 0);
  MPI_Gather(&n, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<int> displs;
  std::vector<std::uint8_t> all;
  if (g_rank == 0) {
    long long total = 0;
    displs.resize(g_size);
    for (int i = 0; i < g_size; ++i) {
      displs[i] = static_cast<int>(total);
      total += counts[i];
    }
    if (total > INT_MAX)
      throw Error(ErrorKind::internal, ErrorCode::internal_error,
                  fmt::format("{} bytes of results to gather; MPI counts stop at 2 GiB", total), {},
                  "split the sweep into smaller runs");
    all.resize(static_cast<std::size_t>(total));
  }
  MPI_Gatherv(local.data(), n, MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE, 0, MPI_COMM_WORLD);
  std::vector<std::vector<std::uint8_t>> out;
  if (g_rank == 0)
    for (int i = 0; i < g_size; ++i)
      out.emplace_back(all.begin() + displs[i], all.begin() + displs[i] + counts[i]);
  return out;
#else
  return {local};
#endif
}

void abort_job(int code, const std::string& message) {
  if (!g_active || g_size == 1) return;
#ifdef AGGLO_HAVE_MPI
  std::fprintf(stderr, "agglo: error (rank %d of %d): %s\n", g_rank, g_size, message.c_str());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
#else
  (void)code;
  (void)message;
#endif
}

void abort_job_on_current_exception() {
  try {
    throw;
  } catch (const Error& e) {
    abort_job(exit_code(e.kind()), e.what());
  } catch (const std::exception& e) {
    abort_job(exit_code(ErrorKind::internal), e.what());
  } catch (...) {
    abort_job(exit_code(ErrorKind::internal), "unknown exception");
  }
}

}  // namespace agglo::parallel::mpi
