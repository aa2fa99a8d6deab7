// dialog - turns message threads into dialog text for training. Holds every message back until
// the end (the messages of a thread may arrive in any order, from several files), then emits the
// dialogs thread by thread, in the order each thread first appeared. Records without meta.thread
// pass through unchanged, in place.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "dialog_threads.h"
#include "textkit/plugin.h"

namespace textkit::sanitize {
namespace {

std::string thread_key(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

class dialog_step final : public transform {
 public:
  explicit dialog_step(dialog_settings config) : config_(std::move(config)) {}

  void process(record&& in, emitter& out, context& /*ctx*/) override {
    const auto thread = in.meta.find("thread");
    if (thread == in.meta.end() || thread->is_null()) {
      out.emit(std::move(in));
      return;
    }
    const std::string key = thread_key(*thread);
    auto [it, fresh] = index_.try_emplace(key, threads_.size());
    if (fresh) threads_.push_back({key, {}});
    message m;
    m.order = next_order_++;
    m.text = std::move(in.text);
    if (auto a = in.meta.find("author"); a != in.meta.end() && a->is_string()) m.author = *a;
    const auto by_me = in.meta.find("by_me");
    m.by_owner =
        (by_me != in.meta.end() && by_me->is_boolean() && by_me->get<bool>()) ||
        std::find(config_.owners.begin(), config_.owners.end(), m.author) != config_.owners.end();
    if (auto c = in.meta.find("created"); c != in.meta.end() && c->is_string()) {
      m.created = *c;
      m.time = parse_iso8601(m.created);
    }
    m.meta = std::move(in.meta);
    threads_[it->second].second.push_back(std::move(m));
  }

  void finish(emitter& out, context& ctx) override {
    std::size_t left_out = 0;
    std::size_t made = 0;
    for (auto& [key, messages] : threads_) {
      for (auto& r : thread_to_dialogs(std::move(messages), key, config_, left_out)) {
        ++made;
        out.emit(std::move(r));
      }
    }
    ctx.warn(std::to_string(made) + " dialogs from " + std::to_string(threads_.size()) +
             " threads" +
             (left_out != 0
                  ? "; left out " + std::to_string(left_out) + " without the owner (require_owner)"
                  : ""));
  }

 private:
  dialog_settings config_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::pair<std::string, std::vector<message>>> threads_;
  std::size_t next_order_ = 0;
};

result<std::unique_ptr<step>> create(const step_config& config) {
  const options& opts = config.opts;
  dialog_settings s;
  s.names = opts.get_string("speakers") == "names";
  const auto gap = parse_duration(opts.get("gap"));
  if (!gap) return error("gap: expected seconds or a duration such as \"30m\", \"6h\", \"2d\"");
  s.gap_seconds = *gap;
  s.max_turns = static_cast<int>(opts.get_int("max_turns"));
  s.require_owner = opts.get_bool("require_owner");
  if (opts.has("owner")) s.owners = opts.get_strings("owner");
  s.owner_mark = opts.get_string("owner_mark");
  s.other_mark = opts.get_string("other_mark");
  return std::unique_ptr<step>(std::make_unique<dialog_step>(std::move(s)));
}

}  // namespace

const plugin_descriptor& describe_dialog() {
  static const plugin_descriptor descriptor = [] {
    plugin_descriptor d;
    d.name = "dialog";
    d.version = "1.0.0";
    d.summary =
        "Turn message threads into dialog text (\"- \" for the owner's lines, \"> \" for "
        "others')";
    d.kind = step_kind::transform;
    d.consumes =
        "message records: text, meta.thread, meta.created, meta.author, meta.by_me; "
        "records without meta.thread pass through";
    d.produces =
        "one record per dialog: text of turns; meta source \"dialog\", kind \"dialog\", "
        "thread, label, created (first message), participants, turns, messages";
    d.options = {
        make_option("speakers", option_type::string, "marks",
                    "How lines show who speaks: marks (owner_mark before the owner's lines, "
                    "other_mark before others') or names (\"Name: \").",
                    {"marks", "names"}),
        make_option("gap", option_type::any, "6h",
                    "A silence longer than this starts a new dialog: seconds, or \"30m\", \"6h\", "
                    "\"2d\"; 0 never splits."),
        make_option("max_turns", option_type::integer, 20,
                    "At most this many turns (runs of messages by one speaker) per dialog; 0: no "
                    "limit."),
        make_option("require_owner", option_type::boolean, true,
                    "Leave out dialogs in which the owner (meta.by_me, or an owner name) never "
                    "speaks."),
        make_option("owner", option_type::string_list, nullptr,
                    "Author names that are the owner, for exports without meta.by_me."),
        make_option("owner_mark", option_type::string, "- ",
                    "What starts each of the owner's lines."),
        make_option("other_mark", option_type::string, "> ",
                    "What starts each line of the others."),
    };
    d.options[2].min = 0;
    d.create = create;
    return d;
  }();
  return descriptor;
}

}  // namespace textkit::sanitize

TEXTKIT_PLUGIN(dialog, textkit::sanitize::describe_dialog)
