#include "distributed.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>

#include "textkit/error.h"

namespace textkit::gpt2 {
namespace {

// DDP's default bucket size (bucket_cap_mb = 25).
constexpr std::int64_t bucket_bytes = 25 * 1024 * 1024;

std::string first_line(std::string_view text) {
  const auto end = text.find('\n');
  return std::string(text.substr(0, end));
}

// c10::Error's what() carries a C++ backtrace; the message is enough.
template <typename F>
auto guarded(F&& f, const std::function<void(std::string_view)>& fail) -> decltype(f()) {
  try {
    return f();
  } catch (const c10::Error& e) {
    fail(first_line(e.what_without_backtrace()));
  } catch (const textkit::error&) {
    throw;
  } catch (const std::exception& e) {
    fail(first_line(e.what()));
  }
  throw std::logic_error("unreachable");
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host.rfind("127.", 0) == 0 || host == "::1";
}

// The Gloo transport's own address: a network interface named by GLOO_SOCKET_IFNAME (as in
// PyTorch), the loopback when all ranks meet on it, else the address this machine's host name
// resolves to.
std::shared_ptr<gloo::transport::Device> gloo_device(const std::string& master_addr) {
  if (const char* name = std::getenv("GLOO_SOCKET_IFNAME"); name && *name) {
    return c10d::ProcessGroupGloo::createDeviceForInterface(name);
  }
  if (is_loopback(master_addr)) return c10d::ProcessGroupGloo::createDeviceForHostname(master_addr);
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

struct process_group::state {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroupGloo> group;
};

void process_group::fail(std::string_view what, std::string_view why) const {
  char timeout[32];
  std::snprintf(timeout, sizeof timeout, "%g s", settings_.timeout_s);
  throw error("distributed training, rank " + std::to_string(settings_.rank) + " of " +
              std::to_string(settings_.world_size) + " (master " + settings_.master_addr + ":" +
              std::to_string(settings_.master_port) + ", timeout " + timeout +
              "): " + std::string(what) + " failed: " + std::string(why) +
              ". A rank stopped, is unreachable or took longer than the timeout; each rank's own "
              "output says why it stopped");
}

process_group::process_group(const distributed_settings& s)
    : settings_(s), state_(std::make_unique<state>()) {
  const auto timeout = std::chrono::milliseconds(static_cast<std::int64_t>(s.timeout_s * 1000));
  const std::string rendezvous = "the rendezvous of " + std::to_string(s.world_size) +
                                 " ranks (rank 0 listens on port " + std::to_string(s.master_port) +
                                 ", the others connect to it)";
  auto failed = [&](std::string_view why) { fail(rendezvous, why); };
  guarded(
      [&] {
        c10d::TCPStoreOptions options;
        options.port = static_cast<std::uint16_t>(s.master_port);
        options.isServer = s.rank == 0;
        options.numWorkers = static_cast<std::size_t>(s.world_size);
        options.waitWorkers = true;
        options.timeout = timeout;
        state_->store = c10::make_intrusive<c10d::TCPStore>(s.master_addr, options);
        auto pg_options = c10d::ProcessGroupGloo::Options::create(timeout);
        pg_options->devices.push_back(gloo_device(s.master_addr));
        state_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(
            c10::make_intrusive<c10d::PrefixStore>("gloo", state_->store), s.rank, s.world_size,
            pg_options);
        return 0;
      },
      failed);
}

process_group::~process_group() = default;

void process_group::run_buckets(const std::vector<torch::Tensor>& tensors, op kind,
                                std::string_view what) {
  struct bucket {
    std::size_t first = 0, last = 0;  // tensors[first, last)
    torch::Tensor flat;
    c10::intrusive_ptr<c10d::Work> work;
  };
  std::vector<bucket> buckets;
  std::int64_t bytes = 0;
  for (std::size_t i = 0; i < tensors.size(); ++i) {
    const auto size = tensors[i].numel() * static_cast<std::int64_t>(tensors[i].element_size());
    if (buckets.empty() || bytes + size > bucket_bytes) {
      buckets.push_back({i, i, {}, {}});
      bytes = 0;
    }
    buckets.back().last = i + 1;
    bytes += size;
  }
  const auto timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(settings_.timeout_s * 1000));
  guarded(
      [&] {
        for (auto& b : buckets) {
          std::vector<torch::Tensor> parts;
          for (auto i = b.first; i < b.last; ++i) parts.push_back(tensors[i].reshape({-1}));
          std::vector<at::Tensor> one{torch::cat(parts)};
          b.flat = one.front();
          if (kind == op::broadcast) {
            b.work = state_->group->broadcast(one);
          } else {
            c10d::AllreduceOptions options;
            options.reduceOp = c10d::ReduceOp::SUM;
            b.work = state_->group->allreduce(one, options);
          }
        }
        for (auto& b : buckets) {
          b.work->wait(timeout);
          if (kind == op::mean) b.flat.div_(settings_.world_size);
          std::int64_t at = 0;
          for (auto i = b.first; i < b.last; ++i) {
            const auto n = tensors[i].numel();
            tensors[i].view({-1}).copy_(b.flat.narrow(0, at, n));
            at += n;
          }
        }
        return 0;
      },
      [&](std::string_view why) { fail(what, why); });
}

void process_group::average(const std::vector<torch::Tensor>& tensors, std::string_view what) {
  run_buckets(tensors, op::mean, what);
}

void process_group::broadcast(const std::vector<torch::Tensor>& tensors, std::string_view what) {
  run_buckets(tensors, op::broadcast, what);
}

void process_group::sum(torch::Tensor& t, std::string_view what) {
  const auto timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(settings_.timeout_s * 1000));
  guarded(
      [&] {
        std::vector<at::Tensor> one{t};
        state_->group->allreduce(one)->wait(timeout);
        return 0;
      },
      [&](std::string_view why) { fail(what, why); });
}

void process_group::max(torch::Tensor& t, std::string_view what) {
  const auto timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(settings_.timeout_s * 1000));
  guarded(
      [&] {
        std::vector<at::Tensor> one{t};
        c10d::AllreduceOptions options;
        options.reduceOp = c10d::ReduceOp::MAX;
        state_->group->allreduce(one, options)->wait(timeout);
        return 0;
      },
      [&](std::string_view why) { fail(what, why); });
}

std::vector<std::string> process_group::gather(std::string_view key, const std::string& value,
                                               std::string_view what) {
  const std::string prefix = "textkit/" + std::string(key) + "/";
  std::vector<std::string> values;
  guarded(
      [&] {
        state_->store->set(prefix + std::to_string(settings_.rank),
                           std::vector<std::uint8_t>(value.begin(), value.end()));
        for (int r = 0; r < settings_.world_size; ++r) {
          const auto bytes = state_->store->get(prefix + std::to_string(r));
          values.emplace_back(bytes.begin(), bytes.end());
        }
        return 0;
      },
      [&](std::string_view why) { fail(what, why); });
  return values;
}

}  // namespace textkit::gpt2
