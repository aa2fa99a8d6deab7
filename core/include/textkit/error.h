// textkit - errors that cross the plugin boundary.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

#include "textkit/export.h"
#include "textkit/record.h"

namespace textkit {

/// The one exception type plugins throw for a problem the user must hear about.
/// Declared in the core with an out-of-line key function, so its typeinfo lives in
/// libtextkit_core.so and is caught by type in the host whatever plugin threw it.
class TEXTKIT_API error : public std::runtime_error {
 public:
  explicit error(const std::string& message);
  error(origin where, const std::string& message);
  ~error() override;

  /// Where the problem is, when known (file, line, column).
  [[nodiscard]] const origin& where() const noexcept { return where_; }
  /// The message without the location.
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  origin where_;
  std::string message_;
};

/// Thrown by the host out of emit() when the user pressed Ctrl-C. Deliberately not a
/// std::exception, so a plugin's catch (const std::exception&) lets it pass; plugins never catch
/// it.
class TEXTKIT_API cancelled {
 public:
  virtual ~cancelled();
  [[nodiscard]] virtual const char* what() const noexcept;
};

/// A value or an error: what a plugin factory returns at the seam.
template <typename T>
class result {
 public:
  result(T value) : state_(std::move(value)) {}          // NOLINT(google-explicit-constructor)
  result(error failure) : state_(std::move(failure)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  [[nodiscard]] T& value() & { return std::get<0>(state_); }
  [[nodiscard]] T&& value() && { return std::get<0>(std::move(state_)); }
  [[nodiscard]] const error& failure() const { return std::get<1>(state_); }

 private:
  std::variant<T, error> state_;
};

}  // namespace textkit
