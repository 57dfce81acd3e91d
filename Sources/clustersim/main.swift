print("clustersim")
