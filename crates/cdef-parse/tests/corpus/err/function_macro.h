#define F(x) ((x) + 1)
