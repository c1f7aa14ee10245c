#include <vector>
namespace io {
template <typename T>
class Reader : public Base {
public:
	Reader(int n) : n_(n) {}
	int read(std::vector<T> &out) const;
private:
	int n_;
};
int Reader<int>::read(std::vector<int> &out) const {
	return (int)out.size();
}
} // namespace io
