// agglo::parallel::mpi — the few message-passing operations the engine needs, without MPI types.
//
// When agglo is built with MPI (CMake option AGGLO_WITH_MPI, on by default, and an MPI library
// found) and the program is launched by an MPI launcher (`mpirun -n 2 agglo simulate …`), the
// CLI opens one Session for the life of the process; every rank then runs the same command, and
// the work that can be split (simulation sweep points and replicates) is dealt out by rank().
// Without a launcher, without MPI in the build, and in the Python module and the server, no
// session is open: rank() is 0 and size() is 1, so the same code runs everything locally.
//
// Every call here is made from the main thread only (MPI is initialised with
// MPI_THREAD_FUNNELED); TBB worker threads never touch MPI.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::parallel::mpi {

// Opens MPI for the life of the object when the process was started by an MPI launcher
// (launched_by_mpi()) and agglo was built with MPI; otherwise does nothing. The destructor
// finalises MPI. One per process (the CLI's main() owns it).
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

// True when agglo was compiled with MPI support (AGGLO_HAVE_MPI).
bool available() noexcept;
// True when the environment shows an MPI launcher started this process: Open MPI's
// OMPI_COMM_WORLD_SIZE, PMIx's PMIX_RANK (Slurm srun, PRRTE) or PMI's PMI_SIZE (MPICH Hydra,
// Intel MPI). A plain `agglo …` never initialises MPI, so it starts as fast as without it.
bool launched_by_mpi() noexcept;
// True while a Session has MPI open.
bool active() noexcept;

// This process's rank in MPI_COMM_WORLD (0 without a session) and the number of ranks (1).
int rank() noexcept;
int size() noexcept;

// Blocks until every rank has reached it (no-op without a session).
void barrier();

// Collects one byte buffer from every rank on rank 0: there the result has size() buffers,
// buffer i from rank i; on the other ranks it is empty. Without a session it returns {local}.
// Each buffer must be below 2 GiB (MPI counts are int); a larger one is an internal error.
std::vector<std::vector<std::uint8_t>> gather_to_root(const std::vector<std::uint8_t>& local);

// Prints "agglo: error (rank R of N): message" on stderr and ends every rank of the job with
// `code` as exit status (MPI_Abort), so an error on one rank never leaves the others waiting in
// a collective call. Without a session it does nothing and returns (the caller rethrows).
void abort_job(int code, const std::string& message);

// For a `catch (...)` block around work that other ranks wait on in a collective call: ends the
// job (abort_job) with the exit code of the exception being handled (an agglo Error's kind, or
// "internal" for any other exception); without a session it returns and the caller rethrows.
//   try { …work, gather_to_root… } catch (...) { mpi::abort_job_on_current_exception(); throw; }
void abort_job_on_current_exception();

}  // namespace agglo::parallel::mpi
